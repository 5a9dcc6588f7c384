/**
 * What `disco plan validate` does, callable without spawning a process: collect the files,
 * validate them in the project's environment, format the report, decide the exit code
 * (1 on any error, or on more warnings than `maxWarnings`; 0 otherwise).
 */
import type { ProjectConfig } from '../project/config.js';
import { type FormatName, formatReport, toJson } from './format/index.js';
import type { ValidationJson } from './format/json.js';
import { projectEnv } from './project.js';
import { validatePlans, type ValidationReport } from './validate.js';

export interface ValidateOptions {
  config: ProjectConfig;
  /** Files or folders; empty = the plans folder. `-` reads a plan from stdin. */
  paths: readonly string[];
  format: FormatName;
  maxWarnings?: number | undefined;
  color: boolean;
  stdin?: () => Promise<string>;
}

export interface ValidateOutcome {
  report: ValidationReport;
  output: string;
  json: ValidationJson;
  exitCode: 0 | 1;
}

export async function runValidate(options: ValidateOptions): Promise<ValidateOutcome> {
  const env = await projectEnv(options.config);
  const paths = options.paths.length > 0 ? options.paths : [options.config.plansDir];
  const report = await validatePlans(paths, env, process.cwd(), options.stdin);
  const { errors, warnings } = report.summary;
  const tooManyWarnings = options.maxWarnings !== undefined && warnings > options.maxWarnings;
  const output = formatReport(report, options.format, { color: options.color });
  const withNote =
    tooManyWarnings && options.format === 'pretty'
      ? `${output}${warnings} warnings are more than --max-warnings ${options.maxWarnings}\n`
      : output;
  return { report, output: withNote, json: toJson(report), exitCode: errors > 0 || tooManyWarnings ? 1 : 0 };
}
