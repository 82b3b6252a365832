import { element, escapeXml, estimateTextWidth } from './svg-text.ts';

/*
 * The legend drawn inside the chart, so that the image means the same when it is shown alone
 * (an `<img>`, a screenshot in a ticket). Items flow left to right and wrap onto new rows rather
 * than run past the viewBox, which would clip them on every screen.
 */

export interface LegendItem {
  name: string;
  colour: string;
  /** A line series shows a stroke in its dash pattern (none when solid); a bar segment a square. */
  dash?: string | undefined;
  mark: 'line' | 'square';
}

export interface LegendBox {
  left: number;
  right: number;
  top: number;
  fontSize: number;
}

const ROW_HEIGHT = 22;
const MARK_WIDTH = 20;
const MARK_GAP = 6;
const ITEM_GAP = 20;

/** The legend's markup and the height of its rows. */
export function drawLegend(items: readonly LegendItem[], box: LegendBox): { markup: string; height: number } {
  const rowWidth = box.right - box.left - MARK_WIDTH - MARK_GAP;
  let x = box.left;
  let row = 0;
  let markup = '';
  for (const item of items) {
    const label = truncate(item.name, rowWidth, box.fontSize);
    const width = MARK_WIDTH + MARK_GAP + estimateTextWidth(label, box.fontSize);
    if (x > box.left && x + width > box.right) {
      x = box.left;
      row += 1;
    }
    const y = box.top + row * ROW_HEIGHT;
    markup += drawMark(item, x, y) + element('text', { x: x + MARK_WIDTH + MARK_GAP, y: y + 5, fill: '#1b1f24' }, escapeXml(label));
    x += width + ITEM_GAP;
  }
  return { markup, height: items.length === 0 ? 0 : (row + 1) * ROW_HEIGHT };
}

function drawMark(item: LegendItem, x: number, y: number): string {
  if (item.mark === 'square') return element('rect', { x: x + 4, y: y - 6, width: 12, height: 12, fill: item.colour });
  return element('line', { x1: x, y1: y, x2: x + MARK_WIDTH, y2: y, stroke: item.colour, 'stroke-width': 3, 'stroke-dasharray': item.dash });
}

// A name longer than a whole row is cut with an ellipsis rather than clipped at the viewBox's edge.
function truncate(name: string, width: number, fontSize: number): string {
  const chars = [...name];
  const fits = Math.floor(width / estimateTextWidth('m', fontSize));
  return chars.length <= fits ? name : `${chars.slice(0, fits - 1).join('')}…`;
}
