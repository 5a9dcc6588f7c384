/**
 * The YAML edge: every YAML file the tool reads (plans, `disco.yaml`) goes through here.
 *
 * It parses with the `yaml` package and a `LineCounter`, so every diagnostic carries exact
 * positions, and it bounds the input before anything else touches it: size, flow-nesting depth
 * (30 000 nested brackets must not blow the stack) and alias expansion (a "billion laughs" file
 * must not eat the memory). Duplicate keys are errors. `__proto__` is just a key: `yaml` defines
 * it as an own property, never as the prototype.
 */
import {
  type Alias,
  type Document,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
} from 'yaml';
import type { Diagnostic, DiagnosticPath, SourceRange } from './diagnostic.js';
import { FILE_START } from './diagnostic.js';

export interface YamlLimits {
  /** Largest accepted file, in bytes. */
  maxBytes: number;
  /** Deepest accepted nesting of collections. */
  maxDepth: number;
  /** Most alias expansions accepted when converting to plain values. */
  maxAliasCount: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = { maxBytes: 1 << 20, maxDepth: 64, maxAliasCount: 100 };

export interface YamlSource {
  file: string;
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

export interface YamlParseResult {
  /** Present unless the text could not be parsed at all. */
  source: YamlSource | undefined;
  /** The plain value, present only when there were no errors. */
  value: unknown;
  diagnostics: Diagnostic[];
}

const YAML_CODE: Partial<Record<string, string>> = { DUPLICATE_KEY: 'duplicate-key' };

/** Parses YAML text into a positioned document and a plain value, collecting every problem. */
export function parseYaml(
  text: string,
  file: string,
  limits: YamlLimits = DEFAULT_YAML_LIMITS,
  options: { value?: boolean } = {},
): YamlParseResult {
  const diagnostics: Diagnostic[] = [];
  const lineCounter = new LineCounter();
  const fail = (code: string, message: string, range: SourceRange = FILE_START): YamlParseResult => {
    diagnostics.push({ file, ...range, severity: 'error', code, path: [], message });
    return { source: undefined, value: undefined, diagnostics };
  };

  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) {
    return fail('yaml-too-large', `file is ${bytes} bytes; the limit is ${limits.maxBytes} bytes`);
  }
  if (text.trim() === '' || isOnlyComments(text)) {
    return fail('empty-file', 'file is empty; expected a YAML mapping');
  }
  const deepAt =
    findExcessiveFlowNesting(text, limits.maxDepth) ?? findExcessiveBlockNesting(text, limits.maxDepth * 4);
  if (deepAt !== undefined) {
    lineCounter.addNewLine(0);
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineCounter.addNewLine(i + 1);
    return fail(
      'yaml-too-deep',
      `collections nest deeper than ${limits.maxDepth} levels`,
      rangeOf(lineCounter, deepAt, deepAt + 1),
    );
  }

  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    keepSourceTokens: false,
  });
  const source: YamlSource = { file, text, doc, lineCounter };
  if (doc.errors.some((e) => /call stack/i.test(e.message))) {
    // The parser recursed too deep: one clear diagnostic instead of one per nested line.
    const first = doc.errors.find((e) => /call stack/i.test(e.message))!;
    return fail(
      'yaml-too-deep',
      `collections nest deeper than ${limits.maxDepth} levels`,
      rangeOf(lineCounter, first.pos[0], first.pos[1]),
    );
  }
  for (const error of doc.errors) {
    const code = YAML_CODE[error.code] ?? 'yaml-syntax';
    const message = error.message.split('\n')[0] ?? error.message;
    diagnostics.push({
      file,
      ...rangeOf(lineCounter, error.pos[0], error.pos[1]),
      severity: 'error',
      code,
      path: [],
      message,
    });
  }
  if (diagnostics.length > 0) return { source, value: undefined, diagnostics };

  const depth = collectionDepth(doc.contents);
  if (depth.depth > limits.maxDepth) {
    const at = depth.deepest ? nodeRange(source, depth.deepest) : FILE_START;
    return {
      source,
      value: undefined,
      diagnostics: [err(file, at, 'yaml-too-deep', `collections nest deeper than ${limits.maxDepth} levels`)],
    };
  }

  let value: unknown;
  // Callers that walk the positioned document themselves (plans) skip the plain-value conversion
  // unless the text may hold an alias — the conversion is what bounds alias expansion.
  if (options.value === false && !/(^|[\s,[{:-])\*[^\s,\]}]/.test(text))
    return { source, value, diagnostics };
  try {
    value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (error) {
    const firstAlias = findFirstAlias(doc);
    const at = firstAlias ? nodeRange(source, firstAlias) : FILE_START;
    const message =
      error instanceof ReferenceError || (error instanceof Error && /alias/i.test(error.message))
        ? `aliases expand to more than ${limits.maxAliasCount} nodes (a YAML "billion laughs" bomb?); inline the values instead`
        : `cannot read the YAML: ${error instanceof Error ? error.message : String(error)}`;
    return { source, value: undefined, diagnostics: [err(file, at, 'yaml-alias-limit', message)] };
  }
  return { source, value, diagnostics };
}

function err(file: string, range: SourceRange, code: string, message: string): Diagnostic {
  return { file, ...range, severity: 'error', code, path: [], message };
}

function isOnlyComments(text: string): boolean {
  return text.split('\n').every((line) => {
    const trimmed = line.trim();
    return trimmed === '' || trimmed.startsWith('#') || trimmed === '---' || trimmed === '...';
  });
}

/**
 * Offset of the first flow bracket that opens deeper than `maxDepth`, skipping quoted strings and
 * comments. A cheap guard that runs before the parser so pathological input cannot recurse deeply.
 */
function findExcessiveFlowNesting(text: string, maxDepth: number): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") {
      const prev = i === 0 ? ' ' : text[i - 1];
      if (prev === ' ' || prev === '[' || prev === '{' || prev === ',' || prev === ':' || prev === '\n')
        quote = c;
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
    } else if (c === '[' || c === '{') {
      if (++depth > maxDepth) return i;
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

/**
 * Offset of the first line whose block nesting (indentation levels plus `- ` entries opened on
 * the line) exceeds `limit` — a cheap guard, run before the parser, against deeply nested block
 * collections that would overflow the parser's stack. The limit is generous (a multiple of the
 * real depth limit, which is checked exactly after parsing) so block scalars never trip it.
 */
function findExcessiveBlockNesting(text: string, limit: number): number | undefined {
  const indents: number[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    const m = /^( *)((?:- +)*)(.?)/.exec(line)!;
    if (m[3] === '' || m[3] === '#') continue;
    const indent = m[1]!.length;
    while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
    indents.push(indent);
    const dashes = (m[2]!.match(/-/g) ?? []).length;
    if (indents.length + dashes > limit) return start + indent;
  }
  return undefined;
}

function collectionDepth(root: unknown): { depth: number; deepest: unknown } {
  let max = 0;
  let deepest: unknown;
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (isMap(node) || isSeq(node)) {
      if (depth > max) {
        max = depth;
        deepest = node;
      }
      for (const item of node.items) {
        if (isPair(item)) stack.push([item.value, depth + 1]);
        else stack.push([item, depth + 1]);
      }
    }
  }
  return { depth: max, deepest };
}

function findFirstAlias(doc: Document.Parsed): Alias | undefined {
  let found: Alias | undefined;
  visit(doc, {
    Alias(_key, node) {
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

/** Converts a pair of character offsets into a 1-based range. */
export function rangeOf(lineCounter: LineCounter, start: number, end: number): SourceRange {
  const a = lineCounter.linePos(start);
  const b = lineCounter.linePos(Math.max(end, start));
  return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
}

/** The range of a parsed YAML node (its value range, without trailing comments). */
export function nodeRange(source: YamlSource, node: unknown): SourceRange {
  if (isNode(node) && node.range) return rangeOf(source.lineCounter, node.range[0], node.range[1]);
  return FILE_START;
}

/**
 * The range of the node at `path`: its key (`part: 'key'`, for unknown or misplaced keys) or its
 * value. When the path does not exist, the nearest existing ancestor's range is returned, so a
 * "missing key" diagnostic points at the mapping that lacks it.
 */
export function locate(
  source: YamlSource,
  path: DiagnosticPath,
  part: 'key' | 'value' = 'value',
): SourceRange {
  let node: unknown = source.doc.contents;
  let keyNode: unknown;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      keyNode = pair.key;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      keyNode = undefined;
      node = node.items[segment];
    } else {
      break;
    }
  }
  const target = part === 'key' && keyNode !== undefined ? keyNode : node;
  return nodeRange(source, target);
}
