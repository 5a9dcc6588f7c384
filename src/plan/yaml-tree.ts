/**
 * A positioned, plain view of a parsed YAML document: mappings, sequences and scalars, each with
 * its source range. The plan parser walks this tree instead of the `yaml` package's classes, so
 * every later check has a range at hand without re-scanning text. Aliases are resolved to their
 * targets (the alias bomb guard in `parseYaml` has already bounded their expansion) but keep the
 * alias's own range, so a problem is reported where the user wrote it.
 */
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node, Scalar } from 'yaml';
import type { SourceRange } from '../diagnostics/diagnostic.js';
import { FILE_START } from '../diagnostics/diagnostic.js';
import { rangeOf, type YamlSource } from '../diagnostics/yaml-source.js';

interface Base {
  range: SourceRange;
  /** Character offsets of the node in the source. */
  start: number;
  end: number;
}

export interface YMap extends Base {
  kind: 'map';
  entries: YEntry[];
}

export interface YEntry {
  key: string;
  keyRange: SourceRange;
  value: YNode;
}

export interface YSeq extends Base {
  kind: 'seq';
  items: YNode[];
}

export type ScalarValue = string | number | boolean | null;

export interface YScalar extends Base {
  kind: 'scalar';
  value: ScalarValue;
  /**
   * Offset in the source of the first character of a string value when the source spells the
   * value character for character (plain or quoted without escapes, on one line), so positions
   * inside it (an expression's tokens) can be mapped exactly. Undefined otherwise.
   */
  textOffset: number | undefined;
  /**
   * For a block scalar (`|` or `>`): the source offset of the start of each of its content lines,
   * when the value maps onto them line by line (verified), so offsets inside a multi-line
   * expression or SQL query map exactly too.
   */
  lineOffsets?: number[];
  /** The length of each of those lines in the value (they are joined by one character). */
  lineLengths?: number[];
}

export type YNode = YMap | YSeq | YScalar;

/** Most nodes converted from one document: a guard against alias fan-out. */
const MAX_NODES = 200_000;

export class TreeTooLarge extends Error {}

/** Converts the parsed document (which must have no errors) into a {@link YNode} tree. */
export function toTree(source: YamlSource): YNode {
  let budget = MAX_NODES;
  const { doc, lineCounter, text } = source;
  const range = (start: number, end: number) => rangeOf(lineCounter, start, end);
  const nodeOffsets = (node: Node | null | undefined): [number, number] =>
    node?.range ? [node.range[0], node.range[1]] : [0, 0];

  const convert = (node: unknown, depth: number, at: [number, number] | undefined): YNode => {
    if (--budget < 0) throw new TreeTooLarge('too many nodes');
    if (depth > 200) throw new TreeTooLarge('too deep');
    if (isAlias(node)) {
      const target = node.resolve(doc as Document);
      const [s, e] = at ?? nodeOffsets(node);
      const converted = convert(target, depth + 1, [s, e]);
      return {
        ...converted,
        start: s,
        end: e,
        range: range(s, e),
        ...(converted.kind === 'scalar' ? { textOffset: undefined } : {}),
      };
    }
    const [start, end] = at ?? nodeOffsets(node as Node);
    if (isMap(node)) {
      const entries: YEntry[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        const [ks, ke] = nodeOffsets(keyNode);
        let key: string;
        if (isScalar(keyNode)) key = keyNode.value === null ? '' : String(keyNode.value);
        else if (isAlias(keyNode)) {
          const t = keyNode.resolve(doc as Document);
          key = isScalar(t) ? String(t.value) : '[complex key]';
        } else key = '[complex key]';
        const valueNode = pair.value as Node | null;
        const value: YNode =
          valueNode === null || valueNode === undefined
            ? { kind: 'scalar', value: null, textOffset: undefined, start: ke, end: ke, range: range(ke, ke) }
            : convert(valueNode, depth + 1, undefined);
        entries.push({ key, keyRange: range(ks, ke), value });
      }
      return { kind: 'map', entries, start, end, range: range(start, end) };
    }
    if (isSeq(node)) {
      const items = node.items.map((item) =>
        item === null || item === undefined
          ? ({
              kind: 'scalar',
              value: null,
              textOffset: undefined,
              start,
              end: start,
              range: range(start, start),
            } as YScalar)
          : convert(item, depth + 1, undefined),
      );
      return { kind: 'seq', items, start, end, range: range(start, end) };
    }
    if (isScalar(node)) {
      const raw = node.value;
      let value: ScalarValue;
      if (raw === null || raw === undefined) value = null;
      else if (typeof raw === 'string' || typeof raw === 'boolean') value = raw;
      else if (typeof raw === 'number') value = raw;
      else if (typeof raw === 'bigint') value = Number(raw);
      else value = String(raw);
      return {
        kind: 'scalar',
        value,
        ...blockOrInline(node, text, value),
        start,
        end,
        range: range(start, end),
      };
    }
    return {
      kind: 'scalar',
      value: null,
      textOffset: undefined,
      start,
      end,
      range: at ? range(start, end) : FILE_START,
    };
  };

  return convert(doc.contents, 0, undefined);
}

function textOffsetOf(node: Scalar, text: string, value: ScalarValue): number | undefined {
  if (typeof value !== 'string' || !node.range) return undefined;
  const [s, e] = node.range;
  if (node.type === Scalar.PLAIN) return text.slice(s, e) === value ? s : undefined;
  if (node.type === Scalar.QUOTE_SINGLE || node.type === Scalar.QUOTE_DOUBLE) {
    return text.slice(s + 1, e - 1) === value ? s + 1 : undefined;
  }
  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    // A one-line block scalar: find the value's line after the header.
    const firstLine = value.replace(/\n$/, '');
    if (firstLine.includes('\n')) return undefined;
    const at = text.indexOf(firstLine, s);
    return at !== -1 && at < e ? at : undefined;
  }
  return undefined;
}

function blockOrInline(
  node: Scalar,
  text: string,
  value: ScalarValue,
): Pick<YScalar, 'textOffset' | 'lineOffsets' | 'lineLengths'> {
  const block = blockLines(node, text, value);
  return block
    ? { textOffset: block.offsets[0], lineOffsets: block.offsets, lineLengths: block.lengths }
    : { textOffset: textOffsetOf(node, text, value) };
}

/**
 * The source offsets of a block scalar's content lines, if joining those lines (without their
 * indentation) with the scalar's line separator gives back the value exactly.
 */
function blockLines(
  node: Scalar,
  text: string,
  value: ScalarValue,
): { offsets: number[]; lengths: number[] } | undefined {
  if (typeof value !== 'string' || !node.range) return undefined;
  if (node.type !== Scalar.BLOCK_LITERAL && node.type !== Scalar.BLOCK_FOLDED) return undefined;
  const [s, e] = node.range;
  const headerEnd = text.indexOf('\n', s);
  if (headerEnd === -1 || headerEnd >= e) return undefined;
  const rawLines = text.slice(headerEnd + 1, e).split('\n');
  const firstContent = rawLines.find((l) => l.trim() !== '');
  if (firstContent === undefined) return undefined;
  const indent = /^ */.exec(firstContent)![0].length;
  const offsets: number[] = [];
  const lines: string[] = [];
  let at = headerEnd + 1;
  for (const raw of rawLines) {
    offsets.push(at + Math.min(indent, raw.length));
    lines.push(raw.slice(indent).replace(/\r$/, ''));
    at += raw.length + 1;
  }
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') {
    lines.pop();
    offsets.pop();
  }
  const sep = node.type === Scalar.BLOCK_LITERAL ? '\n' : ' ';
  return value.replace(/\n+$/, '') === lines.join(sep)
    ? { offsets, lengths: lines.map((l) => l.length) }
    : undefined;
}

/** What a value is, for messages: `a mapping`, `a list`, `null`, `string 'x'`, `number 3`. */
export function describeNode(node: YNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  const v = node.value;
  if (v === null) return 'null (empty)';
  if (typeof v === 'string') return `string '${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  return `${typeof v} ${String(v)}`;
}

export function entry(map: YMap, key: string): YEntry | undefined {
  return map.entries.find((e) => e.key === key);
}
