import type { Knex } from 'knex';

import { analyticsCsv } from './analytics-csv.ts';
import { selectionLabels } from './analytics-labels.ts';
import { loadAnalyticsChoices } from './analytics-lookups.store.ts';
import type { AnalyticsReport } from './analytics-report.service.ts';
import type { AnalyticsSelection } from './analytics-selection.schema.ts';

/* The CSV export of a selection, as the admin API and the console's Analytics page both serve it. */

/** The file's name: the period's first and last instants, to the minute. */
export const csvFileName = (selection: AnalyticsSelection) => `analytics-${selection.from.toISOString().slice(0, 16)}-${selection.to.toISOString().slice(0, 16)}.csv`.replaceAll(':', '');

/** The report as CSV, its filters named as the catalogue names them now. */
export async function selectionCsv(db: Knex, selection: AnalyticsSelection, report: AnalyticsReport): Promise<string> {
  const listed = (id: string | undefined) => (id === undefined ? [] : [id]);
  const choices = await loadAnalyticsChoices(db, { apiIds: listed(selection.apiId), routeIds: listed(selection.routeId), applicationIds: listed(selection.applicationId) });
  return analyticsCsv(report, selectionLabels(selection, choices));
}
