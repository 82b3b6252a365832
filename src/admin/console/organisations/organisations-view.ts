import { keyState } from '../../../portal/apps/plan-terms.ts';
import { formatDay, formatInstant } from '../../../portal/format-instant.ts';

/** What the Organisations section's views write dates, key states and subscription statuses with: the portal's own words. */
export const ORGANISATIONS_VIEW_HELPERS = {
  formatDay,
  formatInstant,
  keyState,
  subscriptionWords: { requested: 'waiting for approval', active: 'active', refused: 'refused', cancelled: 'cancelled' },
} as const;
