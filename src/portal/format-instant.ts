/* One way of writing instants and days on every portal page (always UTC, as the APIs' headers are). */

const INSTANT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'UTC' });
const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** `4 Dec 2026, 14:05 UTC` */
export const formatInstant = (at: Date | string): string => `${INSTANT.format(new Date(at))} UTC`;

/** `4 December 2026` */
export const formatDay = (at: Date | string): string => DAY.format(new Date(at));
