import assert from 'node:assert/strict';
import { suite, test } from 'node:test';

import { segmentColours } from '../../src/shared/charts/chart-colours.ts';
import { formatCompact, formatUtcLabel, labelIndices, niceTicks } from '../../src/shared/charts/chart-scale.ts';
import { barChart, lineChart, type Bar, type LinePoint } from '../../src/shared/charts/svg-chart.ts';
import { escapeXml, estimateTextWidth } from '../../src/shared/charts/svg-text.ts';

const HOSTILE = '<script>&"';
const day = (i: number) => new Date(Date.UTC(2026, 10, 7 + i));
const hour = (i: number) => new Date(Date.UTC(2026, 11, 4, i));
const latency = (ys: readonly (number | undefined)[]) =>
  lineChart({ title: 'Latency', description: 'p50 per hour.', unit: 'ms', xLabels: 'hour', series: [{ name: 'p50', points: ys.map((y, i): LinePoint => ({ x: hour(i), y })) }] });
const calls = (bars: readonly Bar[]) => barChart({ title: 'Calls per day', description: 'Calls by status class.', unit: 'calls', bars });
const statusBars = (count: number) => Array.from({ length: count }, (_, i): Bar => ({ x: day(i), segments: [{ name: '2xx', value: 100 + i }, { name: '5xx', value: i % 3 }] }));

/**
 * A small XML well-formedness check, enough for what the charts emit: elements nest and close,
 * attribute values are quoted, `&` only starts one of the five predefined entities, and there is
 * one root element with nothing but markup around it.
 */
function assertWellFormedXml(xml: string): void {
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/y;
  const open: string[] = [];
  let roots = 0;
  const assertEscaped = (text: string) => assert.doesNotMatch(text.replace(/&(?:amp|lt|gt|quot|apos);/g, ''), /[&<>]/, `unescaped text: ${text}`);
  while (token.lastIndex < xml.length) {
    const at = token.lastIndex;
    const match = token.exec(xml);
    assert.ok(match, `not XML at ${at}: ${xml.slice(at, at + 60)}`);
    const [, closing, name, attributes, selfClosing, text] = match;
    if (text !== undefined) {
      assert.ok(open.length > 0, `text outside the root element: ${text}`);
      assertEscaped(text);
    } else if (closing) {
      assert.equal(open.pop(), name, `</${name}> closes another element`);
    } else {
      for (const [, value] of attributes!.matchAll(/="([^"]*)"/g)) assertEscaped(value!);
      if (open.length === 0) roots += 1;
      if (!selfClosing) open.push(name!);
    }
  }
  assert.deepEqual(open, [], 'elements left open');
  assert.equal(roots, 1);
}

/** The texts of the x axis labels, which are the only centred texts with a day or an hour in them. */
function xLabels(svg: string): string[] {
  return [...svg.matchAll(/<text [^>]*text-anchor="middle"[^>]*>(\d{1,2} [A-Z][a-z]{2}|\d\d:\d\d)<\/text>/g)].map((m) => m[1]!);
}

function yLabels(svg: string): string[] {
  return [...svg.matchAll(/<text [^>]*text-anchor="end"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}

function paths(svg: string): string[] {
  return [...svg.matchAll(/<path d="([^"]*)"/g)].map((m) => m[1]!);
}

function rects(svg: string, fill: string): { y: number; height: number }[] {
  return [...svg.matchAll(new RegExp(`<rect x="[^"]*" y="([^"]*)" width="[^"]*" height="([^"]*)" fill="${fill}">`, 'g'))]
    .map((m) => ({ y: Number(m[1]), height: Number(m[2]) }));
}

suite('y axis ticks', () => {
  test('go up in 1-2-5 steps from 0 to the first step at or above the maximum', () => {
    assert.deepEqual(niceTicks(37), [0, 10, 20, 30, 40]);
    assert.deepEqual(niceTicks(100), [0, 20, 40, 60, 80, 100]);
    assert.deepEqual(niceTicks(101), [0, 50, 100, 150]);
    assert.deepEqual(niceTicks(0.37), [0, 0.1, 0.2, 0.3, 0.4]);
    assert.deepEqual(niceTicks(1_234_567), [0, 500_000, 1_000_000, 1_500_000]);
  });

  test('are 4 to 6, on a 1-2-5 step, and cover the maximum, whatever the maximum', () => {
    for (let max = 0.013; max < 5e9; max *= 1.37) {
      const ticks = niceTicks(max);
      const step = ticks[1]!;
      assert.ok(ticks.length >= 4 && ticks.length <= 6, `${ticks.length} ticks for ${max}`);
      assert.ok(ticks.at(-1)! >= max && ticks.at(-2)! < max, `ticks ${ticks.join()} for ${max}`);
      assert.match(step.toExponential(), /^[125]e/, `step ${step} for ${max}`);
      ticks.forEach((tick, i) => assert.equal(tick, Number((i * step).toPrecision(12))));
    }
  });

  test('count whole calls: no half steps for small counts', () => {
    assert.deepEqual(niceTicks(2, true), [0, 1, 2]);
    assert.deepEqual(niceTicks(2), [0, 0.5, 1, 1.5, 2]);
    assert.deepEqual(niceTicks(37, true), [0, 10, 20, 30, 40]);
  });

  test('are just 0 without data', () => {
    assert.deepEqual(niceTicks(0), [0]);
    assert.deepEqual(niceTicks(Number.NaN), [0]);
  });

  test('are labelled compactly on the chart', () => {
    const svg = calls([{ x: day(0), segments: [{ name: '2xx', value: 1_234_567 }] }]);
    assert.deepEqual(yLabels(svg), ['0', '500k', '1M', '1.5M']);
  });
});

suite('compact numbers', () => {
  test('keep 3 significant digits below 1000', () => {
    assert.equal(formatCompact(0), '0');
    assert.equal(formatCompact(999), '999');
    assert.equal(formatCompact(12.34), '12.3');
    assert.equal(formatCompact(0.25), '0.25');
  });

  test('use k, M and B with at most one decimal', () => {
    assert.equal(formatCompact(1000), '1k');
    assert.equal(formatCompact(1234), '1.2k');
    assert.equal(formatCompact(15_000), '15k');
    assert.equal(formatCompact(123_456), '123.5k');
    assert.equal(formatCompact(3_000_000), '3M');
    assert.equal(formatCompact(2_500_000_000), '2.5B');
  });

  test('move up a unit rather than say 1000k', () => {
    assert.equal(formatCompact(999_960), '1M');
    assert.equal(formatCompact(999_940_000), '999.9M');
  });
});

suite('x axis labels', () => {
  test('are UTC days and hours, whatever the server\'s time zone', () => {
    const zone = process.env.TZ;
    process.env.TZ = 'Pacific/Kiritimati';
    try {
      const lateEvening = new Date(Date.UTC(2026, 11, 4, 23, 0));
      assert.equal(formatUtcLabel(lateEvening, 'day'), '4 Dec');
      assert.equal(formatUtcLabel(lateEvening, 'hour'), '23:00');
      assert.equal(formatUtcLabel(hour(9), 'hour'), '09:00');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  test('are thinned to every n-th position', () => {
    assert.deepEqual(labelIndices(30, 8), [0, 4, 8, 12, 16, 20, 24, 28]);
    assert.deepEqual(labelIndices(5, 8), [0, 1, 2, 3, 4]);
    assert.deepEqual(labelIndices(0, 8), []);
  });

  test('never number more than 8 on a chart, and start at the first day', () => {
    for (const count of [1, 7, 8, 9, 14, 30, 31, 90, 365]) {
      const labels = xLabels(calls(statusBars(count)));
      assert.ok(labels.length >= Math.min(count, 4) && labels.length <= 8, `${labels.length} labels for ${count} days`);
      assert.equal(labels[0], '7 Nov');
    }
    const hours = xLabels(latency(Array.from({ length: 24 }, (_, i) => i + 1)));
    assert.deepEqual(hours, ['00:00', '04:00', '08:00', '12:00', '16:00', '20:00']);
  });

  test('label every day of a week when the labels are short enough', () => {
    const week = Array.from({ length: 7 }, (_, i): Bar => ({ x: new Date(Date.UTC(2026, 11, 1 + i)), segments: [{ name: '2xx', value: 1 }] }));
    assert.deepEqual(xLabels(calls(week)), ['1 Dec', '2 Dec', '3 Dec', '4 Dec', '5 Dec', '6 Dec', '7 Dec']);
    assert.deepEqual(xLabels(calls(statusBars(7))), ['7 Nov', '9 Nov', '11 Nov', '13 Nov']);
  });

  test('are far enough apart not to overlap', () => {
    const svg = calls(statusBars(31));
    const xs = [...svg.matchAll(/<text x="([^"]*)" y="[^"]*" text-anchor="middle"[^>]*>\d{1,2} [A-Z][a-z]{2}</g)].map((m) => Number(m[1]));
    // "30 Sep" is about 48 units wide at the charts' 15-unit font.
    for (let i = 1; i < xs.length; i++) assert.ok(xs[i]! - xs[i - 1]! > 55, `labels at ${xs.join()}`);
  });
});

suite('line chart', () => {
  test('starts its line again after a gap instead of dropping to zero', () => {
    const [d, ...others] = paths(latency([10, 20, undefined, 30, 40]));
    assert.deepEqual(others, []);
    assert.equal(d!.match(/M/g)?.length, 2);
    assert.equal(d!.match(/[ML]/g)?.length, 4, 'one point for each value, none for the gap');
  });

  test('is one unbroken path without gaps', () => {
    const [d] = paths(latency([10, 20, 30]));
    assert.equal(d!.match(/M/g)?.length, 1);
  });

  test('draws a value alone between gaps as a dot', () => {
    const svg = latency([10, 20, undefined, 30, undefined, 40, 50]);
    assert.equal(paths(svg)[0]!.match(/M/g)?.length, 2);
    assert.equal(svg.match(/<circle /g)?.length, 1);
  });

  test('tells series apart by dash as well as colour, in its legend too', () => {
    const svg = lineChart({
      title: 'Latency', description: 'p50 and p95.', unit: 'ms',
      series: ['p50', 'p95'].map((name, s) => ({ name, points: [0, 1, 2].map((i) => ({ x: day(i), y: (s + 1) * 10 })) })),
    });
    const strokes = [...svg.matchAll(/<path [^>]*stroke="([^"]*)"([^>]*)>/g)];
    assert.equal(strokes.length, 2);
    assert.notEqual(strokes[0]![1], strokes[1]![1]);
    assert.doesNotMatch(strokes[0]![2]!, /stroke-dasharray/);
    assert.match(strokes[1]![2]!, /stroke-dasharray="[\d ]+"/);
    assert.equal(svg.match(/<line [^>]*stroke-dasharray/g)?.length, 1, 'the legend shows the dash');
  });
});

suite('bar chart', () => {
  test('stacks segments with heights proportional to their values', () => {
    const svg = calls([
      { x: day(0), segments: [{ name: '2xx', value: 30 }, { name: '5xx', value: 10 }] },
      { x: day(1), segments: [{ name: '2xx', value: 15 }] },
    ]);
    const [first, second] = rects(svg, '#0072B2');
    const [failed] = rects(svg, '#D55E00');
    assert.ok(first && second && failed);
    assert.ok(Math.abs(first.height / failed.height - 3) < 0.01, `${first.height} vs ${failed.height}`);
    assert.ok(Math.abs(first.height / second.height - 2) < 0.01, `${first.height} vs ${second.height}`);
    assert.ok(Math.abs(failed.y + failed.height - first.y) < 0.01, '5xx sits on 2xx');
    assert.ok(Math.abs((first.height + failed.height) / first.height - 40 / 30) < 0.01, 'the top tick is 40, the stack is 40');
  });

  test('stacks in the same order in every bar, with a hint of the exact count', () => {
    const svg = calls([
      { x: day(0), segments: [{ name: '2xx', value: 3 }, { name: '5xx', value: 1234 }] },
      { x: day(1), segments: [{ name: '5xx', value: 2 }, { name: '2xx', value: 1 }] },
    ]);
    const [, second] = rects(svg, '#0072B2');
    const [, secondFailed] = rects(svg, '#D55E00');
    assert.ok(second && secondFailed && secondFailed.y < second.y, '5xx above 2xx on the second day too');
    assert.match(svg, /<title>7 Nov, 5xx: 1,234 calls<\/title>/);
  });

  test('draws a white joint between stacked segments, and none under the lowest', () => {
    const joints = (bars: readonly Bar[]) => calls(bars).match(/<line [^>]*stroke="#ffffff"\/>/g)?.length ?? 0;
    assert.equal(joints([{ x: day(0), segments: [{ name: '2xx', value: 5 }] }]), 0);
    assert.equal(joints([{ x: day(0), segments: [{ name: '2xx', value: 5 }, { name: '4xx', value: 0 }, { name: '5xx', value: 2 }] }]), 1);
    assert.equal(joints([{ x: day(0), segments: [{ name: '2xx', value: 0 }, { name: '4xx', value: 1 }, { name: '5xx', value: 2 }] }]), 1);
  });

  test('wraps its legend onto rows inside the image, cutting a name longer than a row', () => {
    const names = ['Account Information', 'Payment Initiation', 'Confirmation of Funds', 'Variable Recurring Payments', `Event Notifications ${'x'.repeat(80)}`];
    const svg = calls([{ x: day(0), segments: names.map((name) => ({ name, value: 1 })) }]);
    const legend = [...svg.matchAll(/<text x="([^"]*)" y="([^"]*)" fill="#1b1f24">([^<]*)<\/text>/g)]
      .map((m) => ({ right: Number(m[1]) + estimateTextWidth(m[3]!.replace(/&\w+;/g, '&'), 15), y: Number(m[2]), text: m[3]! }));
    assert.equal(legend.length, names.length);
    for (const item of legend) assert.ok(item.right <= 480, `${item.text} ends at ${item.right}`);
    assert.ok(new Set(legend.map((item) => item.y)).size >= 3, 'several rows');
    assert.match(legend.at(-1)!.text, /^Event Notifications x+…$/);
    const height = (chart: string) => Number(/viewBox="0 0 480 (\d+)"/.exec(chart)![1]);
    assert.ok(height(svg) > height(calls(statusBars(1))), 'the image grows to hold the rows');
  });

  test('draws nothing for negative, NaN or infinite counts', () => {
    const svg = calls([{ x: day(0), segments: [{ name: '2xx', value: 5 }, { name: '4xx', value: -3 }, { name: '5xx', value: Number.NaN }, { name: '3xx', value: Infinity }] }]);
    assert.doesNotMatch(svg, /NaN|Infinity/);
    assert.equal(svg.match(/<rect [^>]*><title>/g)?.length, 1);
  });

  test('gives each status class the same colour on every chart, and names different colours', () => {
    assert.deepEqual(segmentColours(['5xx', '2xx', '4xx']), new Map([['2xx', '#0072B2'], ['4xx', '#CC79A7'], ['5xx', '#D55E00']]));
    // Seven names for seven colours: some must start at the same slot and move on.
    const names = ['payments', 'accounts', 'funds', 'consents', 'events', 'balances', 'parties'];
    const forward = segmentColours(names);
    assert.deepEqual(segmentColours(names.toReversed()), forward, 'order of appearance does not matter');
    assert.deepEqual(segmentColours([names[3]!, ...names.slice(4), ...names.slice(0, 3)]), forward);
    assert.equal(new Set(forward.values()).size, names.length);
    assert.equal(new Set(segmentColours(['2xx', '5xx', ...names.slice(0, 5)]).values()).size, 7);
    const weak = ['#E69F00', '#56B4E9'];
    assert.deepEqual([...segmentColours(names.slice(0, 5)).values()].filter((c) => weak.includes(c)), [], 'five names, all in strong colours');
  });
});

suite('charts without calls', () => {
  const empties = {
    'no bars': calls([]),
    'bars of zero': calls(statusBars(7).map((bar) => ({ ...bar, segments: bar.segments.map((s) => ({ ...s, value: 0 })) }))),
    'no points': lineChart({ title: 'Latency', description: 'None.', unit: 'ms', series: [{ name: 'p50', points: [] }] }),
    'no series': lineChart({ title: 'Latency', description: 'None.', unit: 'ms', series: [] }),
    'only gaps': latency([undefined, undefined, undefined]),
  };
  for (const [name, svg] of Object.entries(empties)) {
    test(`say so, with axes and no NaN: ${name}`, () => {
      assert.match(svg, />No calls in this period</);
      assert.doesNotMatch(svg, /NaN|Infinity|undefined/);
      assert.deepEqual(yLabels(svg), ['0']);
      assert.match(svg, /<line x1="48" y1="230" x2="456" y2="230"/, 'the x axis');
      assert.deepEqual(paths(svg), []);
      assert.doesNotMatch(svg, /<title>\d/, 'no bars');
      assertWellFormedXml(svg);
    });
  }

  test('still label the days of the period', () => {
    assert.deepEqual(xLabels(empties['bars of zero']), ['7 Nov', '9 Nov', '11 Nov', '13 Nov']);
  });

  test('do not say so when there were calls', () => {
    assert.doesNotMatch(calls(statusBars(3)), /No calls/);
    assert.doesNotMatch(latency([undefined, 5]), /No calls/);
  });
});

suite('SVG output', () => {
  test('escapes XML in every text it is given', () => {
    assert.equal(escapeXml(`${HOSTILE}'`), '&lt;script&gt;&amp;&quot;&apos;');
    const svg = barChart({
      title: HOSTILE, description: HOSTILE, unit: HOSTILE,
      bars: [{ x: day(0), segments: [{ name: HOSTILE, value: 3 }, { name: `a" onload="alert(1)`, value: 2 }] }],
    });
    assert.doesNotMatch(svg, /<script|onload="/);
    assert.match(svg, /<title>&lt;script&gt;&amp;&quot;<\/title><desc>&lt;script&gt;&amp;&quot;<\/desc>/);
    assert.match(svg, />&lt;script&gt;&amp;&quot;<\/text>/, 'legend and unit');
    assert.match(svg, /<title>7 Nov, &lt;script&gt;&amp;&quot;: 3 &lt;script&gt;&amp;&quot;<\/title>/, 'hint');
    assertWellFormedXml(svg);
  });

  test('replaces characters XML cannot carry at all', () => {
    assert.equal(escapeXml('a\u0000b\u001Fc\uD800d\uFFFEe\t\n'), 'a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\t\n');
    assert.equal(escapeXml('😀 é'), '😀 é');
    assertWellFormedXml(latency([1]).replace('Latency', escapeXml('\u0001')));
  });

  test('the well-formedness check itself rejects broken markup', () => {
    assert.throws(() => assertWellFormedXml('<svg><g></svg>'));
    assert.throws(() => assertWellFormedXml('<svg><text>a & b</text></svg>'));
    assert.throws(() => assertWellFormedXml('<svg x="<"/>'));
    assert.throws(() => assertWellFormedXml('<svg/><svg/>'));
  });

  test('is one accessible, scalable image without inline style or script', () => {
    const charts = [calls(statusBars(30)), latency([1, 2, undefined, 4]), calls([])];
    for (const svg of charts) {
      assertWellFormedXml(svg);
      assert.equal(svg.match(/<svg /g)?.length, 1);
      assert.equal(svg.match(/<\/svg>/g)?.length, 1);
      assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 480 \d+" width="100%" role="img"[^>]*><title>Calls per day|^<svg [^>]*role="img"[^>]*><title>Latency/);
      assert.match(svg, /<\/title><desc>[^<]+<\/desc>/);
      assert.doesNotMatch(svg, /style|<script|\bon\w+=/i);
      assert.doesNotMatch(svg, /(?:width|height)="\d+(?:px)?"[^>]*role="img"/, 'no fixed size on the root');
    }
  });
});
