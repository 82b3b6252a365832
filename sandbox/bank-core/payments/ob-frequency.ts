/*
 * When a standing order pays, from its Open Banking Frequency (OBWriteDomesticStandingOrder3, whose
 * pattern the request has already been validated against): each payment after the first falls on
 * the next date the frequency gives, at the first payment's time of day (UTC). Weekdays count from
 * 01 = Monday; working days are Monday to Friday (the sandbox keeps no bank holidays).
 */

const DAY = 86_400_000;

/** The quarter days of QtrDay, as [month (0-11), day]. */
const QUARTER_DAYS: Readonly<Record<string, ReadonlyArray<readonly [number, number]>>> = {
  ENGLISH: [[2, 25], [5, 24], [8, 29], [11, 25]],
  SCOTTISH: [[1, 2], [4, 15], [7, 1], [10, 11]],
  RECEIVED: [[2, 20], [5, 19], [8, 24], [11, 20]],
};

/** Monday 01 … Sunday 07, as OB numbers the days of a week. */
function obWeekday(at: Date): number {
  return ((at.getUTCDay() + 6) % 7) + 1;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** `at`'s time of day on the given date (months past December roll into the next year). */
function onDate(at: Date, year: number, month: number, day: number): Date {
  const date = new Date(Date.UTC(year, month, 1));
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), day, at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds()));
}

/** The `week`-th `weekday` of the month (week 05 is the last when the month has no fifth). */
function weekdayInMonth(at: Date, year: number, month: number, week: number, weekday: number): Date {
  const first = onDate(at, year, month, 1);
  const firstMatch = 1 + ((weekday - obWeekday(first) + 7) % 7);
  const wanted = firstMatch + (week - 1) * 7;
  const normalised = new Date(Date.UTC(year, month, 1));
  const last = daysInMonth(normalised.getUTCFullYear(), normalised.getUTCMonth());
  return onDate(at, year, month, wanted <= last ? wanted : wanted - 7);
}

/** Day `day` of the month, counting from its end when negative (-01 is the last day), clamped to the month. */
function dayInMonth(at: Date, year: number, month: number, day: number): Date {
  const normalised = new Date(Date.UTC(year, month, 1));
  const last = daysInMonth(normalised.getUTCFullYear(), normalised.getUTCMonth());
  return onDate(at, year, month, day < 0 ? last + day + 1 : Math.min(day, last));
}

/**
 * The payment after the one at `previous`, for a standing order with this `frequency`: strictly
 * later, at the same time of day.
 *
 * @example
 * nextPaymentAfter('IntrvlMnthDay:01:-01', new Date('2027-01-31T09:00:00Z')) // 2027-02-28T09:00:00Z
 */
export function nextPaymentAfter(frequency: string, previous: Date): Date {
  const [code, first = '', second = ''] = frequency.split(':');
  const year = previous.getUTCFullYear();
  const month = previous.getUTCMonth();
  switch (code) {
    case 'EvryDay':
      return new Date(previous.getTime() + DAY);
    case 'EvryWorkgDay': {
      let next = new Date(previous.getTime() + DAY);
      while (obWeekday(next) > 5) next = new Date(next.getTime() + DAY);
      return next;
    }
    case 'IntrvlDay':
      return new Date(previous.getTime() + Number(first) * DAY);
    case 'IntrvlWkDay': {
      // The given weekday of the week `first` weeks after the previous payment's week.
      const monday = previous.getTime() - (obWeekday(previous) - 1) * DAY;
      return new Date(monday + Number(first) * 7 * DAY + (Number(second) - 1) * DAY);
    }
    case 'WkInMnthDay': {
      const thisMonth = weekdayInMonth(previous, year, month, Number(first), Number(second));
      return thisMonth > previous ? thisMonth : weekdayInMonth(previous, year, month + 1, Number(first), Number(second));
    }
    case 'IntrvlMnthDay':
      return dayInMonth(previous, year, month + Number(first), Number(second));
    case 'QtrDay': {
      const days = QUARTER_DAYS[first];
      if (!days) break;
      for (const offset of [0, 1]) {
        for (const [quarterMonth, day] of days) {
          const candidate = onDate(previous, year + offset, quarterMonth, day);
          if (candidate > previous) return candidate;
        }
      }
    }
  }
  throw new RangeError(`not an Open Banking standing order frequency: ${frequency}`);
}
