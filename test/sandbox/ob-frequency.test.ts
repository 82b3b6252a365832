import assert from 'node:assert/strict';
import { test } from 'node:test';

import { nextPaymentAfter } from '../../sandbox/bank-core/payments/ob-frequency.ts';

/** The first `count` payments from `first`, as dates (YYYY-MM-DD), all at the first one's time of day. */
function payments(frequency: string, first: string, count: number): string[] {
  const dates = [new Date(first)];
  while (dates.length < count) dates.push(nextPaymentAfter(frequency, dates.at(-1)!));
  for (const date of dates) assert.equal(date.toISOString().slice(10), new Date(first).toISOString().slice(10), 'the first payment\'s time of day');
  return dates.map((date) => date.toISOString().slice(0, 10));
}

test('every day, and every working day (Monday to Friday)', () => {
  assert.deepEqual(payments('EvryDay', '2027-02-27T09:30:00Z', 3), ['2027-02-27', '2027-02-28', '2027-03-01']);
  // 2027-01-07 is a Thursday.
  assert.deepEqual(payments('EvryWorkgDay', '2027-01-07T06:00:00Z', 5), ['2027-01-07', '2027-01-08', '2027-01-11', '2027-01-12', '2027-01-13']);
});

test('an interval of days', () => {
  assert.deepEqual(payments('IntrvlDay:10', '2027-01-25T00:00:00Z', 3), ['2027-01-25', '2027-02-04', '2027-02-14']);
});

test('an interval of weeks, on a day of the week', () => {
  // Every week on Friday (05), from Thursday 2027-01-07: the next is the Friday of the next week.
  assert.deepEqual(payments('IntrvlWkDay:01:05', '2027-01-07T08:00:00Z', 3), ['2027-01-07', '2027-01-15', '2027-01-22']);
  assert.deepEqual(payments('IntrvlWkDay:02:01', '2027-01-04T08:00:00Z', 3), ['2027-01-04', '2027-01-18', '2027-02-01']);
});

test('a week in the month and a day of the week; week 05 is the last where a month has no fifth', () => {
  // The second Tuesday of each month.
  assert.deepEqual(payments('WkInMnthDay:02:02', '2027-01-12T10:00:00Z', 3), ['2027-01-12', '2027-02-09', '2027-03-09']);
  // The fifth Friday: January 2027 has one (the 29th), February none (its last, the 26th).
  assert.deepEqual(payments('WkInMnthDay:05:05', '2027-01-29T10:00:00Z', 3), ['2027-01-29', '2027-02-26', '2027-03-26']);
});

test('an interval of months, on a day counted from the start or the end of the month, clamped to short months', () => {
  assert.deepEqual(payments('IntrvlMnthDay:01:31', '2027-01-31T09:00:00Z', 4), ['2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30']);
  assert.deepEqual(payments('IntrvlMnthDay:01:-01', '2028-01-31T09:00:00Z', 3), ['2028-01-31', '2028-02-29', '2028-03-31']);
  assert.deepEqual(payments('IntrvlMnthDay:06:15', '2027-11-15T09:00:00Z', 3), ['2027-11-15', '2028-05-15', '2028-11-15']);
  assert.deepEqual(payments('IntrvlMnthDay:12:-05', '2027-12-27T09:00:00Z', 2), ['2027-12-27', '2028-12-27']);
});

test('quarter days: English, Scottish and the RECEIVED dates, across the year end', () => {
  assert.deepEqual(payments('QtrDay:ENGLISH', '2027-12-25T12:00:00Z', 3), ['2027-12-25', '2028-03-25', '2028-06-24']);
  assert.deepEqual(payments('QtrDay:SCOTTISH', '2027-08-01T12:00:00Z', 3), ['2027-08-01', '2027-11-11', '2028-02-02']);
  assert.deepEqual(payments('QtrDay:RECEIVED', '2027-03-20T12:00:00Z', 2), ['2027-03-20', '2027-06-19']);
});

test('anything else is not a frequency', () => {
  for (const frequency of ['', 'EvryWeek', 'QtrDay:WELSH', 'QtrDay']) assert.throws(() => nextPaymentAfter(frequency, new Date('2027-01-01T00:00:00Z')), RangeError, frequency);
});
