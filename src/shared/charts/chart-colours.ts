/*
 * Colours for chart series, from Okabe & Ito's palette ("Color Universal Design", 2008), which
 * stays distinguishable with the common colour-vision deficiencies. Its yellow is left out: 1.3:1
 * on white is invisible as a line. The first five reach WCAG 2.2 §1.4.11's 3:1 against the white
 * plot; orange and sky blue (2.3:1) come last, for charts with more than five series.
 */

const BLUE = '#0072B2';
const VERMILLION = '#D55E00';
const BLUISH_GREEN = '#009E73';
const REDDISH_PURPLE = '#CC79A7';
const PALETTE = [BLUE, VERMILLION, BLUISH_GREEN, REDDISH_PURPLE, '#000000', '#E69F00', '#56B4E9'] as const;
const STRONG = 5;

// Status classes keep one colour on every chart, with failures in the warm colours.
const STATUS_CLASS_COLOURS: Readonly<Record<string, string>> = {
  '2xx': BLUE, '3xx': BLUISH_GREEN, '4xx': REDDISH_PURPLE, '5xx': VERMILLION,
};

/** Line series differ in dash pattern as well as colour, for readers who cannot tell the colours apart. */
const DASHES = [undefined, '8 4', '2 3', '10 3 2 3'] as const;

/** The colour and dash of the n-th line series. */
export function lineStyle(index: number): { colour: string; dash: string | undefined } {
  return { colour: PALETTE[index % PALETTE.length], dash: DASHES[index % DASHES.length] };
}

/**
 * A colour for each segment name that does not depend on the other names' order: status classes
 * have their own, and any other name starts at one of the five strong colours chosen by a hash of
 * the name, moving on to the next free strong one, then to the weak ones, when taken. The same set
 * of names gets the same colours on every chart; past seven names, colours repeat.
 */
export function segmentColours(names: readonly string[]): Map<string, string> {
  const colours = new Map<string, string>();
  for (const name of names) {
    const fixed = STATUS_CLASS_COLOURS[name];
    if (fixed !== undefined) colours.set(name, fixed);
  }
  const used = new Set(colours.values());
  for (const name of [...new Set(names)].filter((n) => !colours.has(n)).sort()) {
    const start = hash(name) % STRONG;
    const order = PALETTE.map((_, i) => PALETTE[i < STRONG ? (start + i) % STRONG : i]);
    const colour = order.find((c) => !used.has(c)) ?? order[0]!;
    colours.set(name, colour);
    used.add(colour);
  }
  return colours;
}

// FNV-1a: a few lines, and spreads short names like "payments" and "accounts" well enough.
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) value = Math.imul(value ^ text.charCodeAt(i), 0x01000193);
  return value >>> 0;
}
