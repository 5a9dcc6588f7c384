/**
 * The base of every `disco` command: the global flags (`--data`, `--json`), the project
 * configuration, and the single top-level error handler.
 */
import { Command, Flags, type Interfaces } from '@oclif/core';
import type { ProjectConfig } from '../project/config.js';
import { reportError } from './handle-error.js';
import { terminalInfo, type TerminalInfo } from './terminal.js';

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof DiscoCommand)['baseFlags'] & T['flags']
>;

export abstract class DiscoCommand extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    data: Flags.string({
      description: 'data directory (default: .disco/ in the project, or data: in disco.yaml)',
      helpGroup: 'GLOBAL',
    }),
  };

  private projectConfig: ProjectConfig | undefined;

  /**
   * The project configuration (`disco.yaml` in the current directory, optional). Loaded on demand
   * so that commands which do not need it (`--help`, `catalog`) never load the YAML parser.
   */
  protected async project(dataFlag?: string): Promise<ProjectConfig> {
    if (!this.projectConfig) {
      const { loadProjectConfig } = await import('../project/config.js');
      this.projectConfig = loadProjectConfig(process.cwd(), { dataDir: dataFlag });
    }
    return this.projectConfig;
  }

  protected terminal(): TerminalInfo {
    return terminalInfo(process.stdout);
  }

  /** Marks the run as "found problems" (exit 1) without aborting the output. */
  protected problemsFound(): void {
    process.exitCode = 1;
  }

  protected override async catch(error: Interfaces.CommandError): Promise<void> {
    // `this.exit(n)` throws an oclif ExitError: honour its code silently.
    if ((error as { code?: string }).code === 'EEXIT') {
      process.exitCode = (error as { oclif?: { exit?: number } }).oclif?.exit ?? 0;
      return;
    }
    const report = reportError(error);
    process.exitCode = report.exitCode;
    if (this.jsonEnabled()) this.logJson(report.json);
    process.stderr.write(`${report.text}\n`);
  }
}
