/**
 * The Ink side of the toolkit: styled lines (`style.ts`) as `<Text>` rows. Every Ink view of the
 * project renders through this component, so terminal and plain output show the same picture.
 */
import { Box, Text } from 'ink';
import type { StyledLine } from '../style.js';

export interface StyledLinesProps {
  lines: readonly StyledLine[];
  /** False with NO_COLOR: styles are dropped (bold too, so the output is plain). */
  color: boolean;
}

export function StyledLines({ lines, color }: StyledLinesProps) {
  return (
    <Box flexDirection="column" flexShrink={0}>
      {lines.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
        <Text key={i} wrap="wrap">
          {l.length === 0
            ? ' '
            : l.map((s, j) =>
                color && s.style ? (
                  <Text
                    // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional
                    key={j}
                    {...(s.style.color ? { color: s.style.color } : {})}
                    bold={s.style.bold ?? false}
                    dimColor={s.style.dim ?? false}
                    inverse={s.style.inverse ?? false}
                  >
                    {s.text}
                  </Text>
                ) : (
                  s.text
                ),
              )}
        </Text>
      ))}
    </Box>
  );
}
