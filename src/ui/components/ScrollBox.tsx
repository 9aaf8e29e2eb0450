/**
 * A scrollable area: shows as many rows as fit, and says how much lies above and below
 * ("↑ 3 more · ↓ 12 more — PgUp/PgDn"), so long content is never cut off silently.
 * Keys (when `active`): PgUp/PgDn by a page, ↑/↓ by a line (only when `arrows`), Home/End.
 * Built on Ink's `overflow="hidden"` + `contentOffsetY` and `useBoxMetrics`.
 */
import { useEffect, useRef, useState } from 'react';
import type { ReactNode, RefObject } from 'react';
import { Box, Text, useBoxMetrics, useInput } from 'ink';
import type { DOMElement } from 'ink';

/** Props of ScrollBox. `resetKey`: when it changes, the view goes back to the top (or bottom when `follow`). */
export interface ScrollBoxProps {
  children: ReactNode;
  active: boolean;
  arrows: boolean;
  /** Keep the newest (bottom) content in view until the person scrolls up (log pane). */
  follow?: boolean;
  resetKey?: string | number;
}

/** Renders children in a viewport that fills its parent's remaining height. */
export function ScrollBox({ children, active, arrows, follow = false, resetKey }: ScrollBoxProps) {
  const viewport = useRef<DOMElement>(null);
  const content = useRef<DOMElement>(null);
  const vp = useBoxMetrics(viewport as RefObject<DOMElement>);
  const ct = useBoxMetrics(content as RefObject<DOMElement>);
  // Distance from the top, or from the bottom when following.
  const [offset, setOffset] = useState(0);
  useEffect(() => setOffset(0), [resetKey]);
  const max = Math.max(0, ct.height - vp.clientHeight);
  const clamped = Math.min(Math.max(0, offset), max);
  const top = follow ? max - clamped : clamped;
  const page = Math.max(1, vp.clientHeight - 1);

  useInput(
    (_input, key) => {
      const dir = follow ? -1 : 1;
      let delta = 0;
      if (key.pageDown) delta = page;
      else if (key.pageUp) delta = -page;
      else if (arrows && key.downArrow) delta = 1;
      else if (arrows && key.upArrow) delta = -1;
      else if (key.home) return setOffset(follow ? max : 0);
      else if (key.end) return setOffset(follow ? 0 : max);
      if (delta !== 0) setOffset(Math.min(max, Math.max(0, clamped + dir * delta)));
    },
    { isActive: active },
  );

  const above = top;
  const below = Math.max(0, max - top);
  return (
    <Box flexDirection="column" flexGrow={1} flexShrink={1} flexBasis={0}>
      <Box ref={viewport} flexDirection="column" flexGrow={1} flexShrink={1} flexBasis={0} overflow="hidden" contentOffsetY={top}>
        <Box ref={content} flexDirection="column" flexShrink={0}>
          {children}
        </Box>
      </Box>
      {max > 0 ? (
        <Text key="more" dimColor wrap="truncate-end">
          {above > 0 ? `↑ ${above} more` : ''}
          {above > 0 && below > 0 ? ' · ' : ''}
          {below > 0 ? `↓ ${below} more` : ''}
          {arrows ? ' — ↑/↓ PgUp/PgDn' : ' — PgUp/PgDn'}
        </Text>
      ) : null}
    </Box>
  );
}
