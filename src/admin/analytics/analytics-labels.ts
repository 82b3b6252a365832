import type { AnalyticsSelection } from './analytics-selection.schema.ts';
import type { AnalyticsChoices } from './analytics-lookups.store.ts';
import type { SelectionLabels } from './analytics-csv.ts';

/*
 * Ids in words, as an operator knows them: an API by name and version, a route by method and path,
 * an application with its organisation. Usage outlives what it counted, so an id the catalogue no
 * longer holds is shown as it is.
 */

export function apiLabel(choices: AnalyticsChoices, id: string): string {
  const api = choices.apis.find((each) => each.id === id);
  return api ? `${api.name} ${api.version}` : id;
}

function routeLabel(choices: AnalyticsChoices, id: string): string {
  const route = choices.routes.find((each) => each.id === id);
  return route ? `${route.method} ${route.pathTemplate}` : id;
}

export function applicationLabel(choices: AnalyticsChoices, id: string): string {
  const application = choices.applications.find((each) => each.id === id);
  return application ? `${application.name} (${application.organisationName})` : id;
}

/** The selection's filters in words, "all" where none is set. */
export function selectionLabels(selection: AnalyticsSelection, choices: AnalyticsChoices): SelectionLabels {
  return {
    api: selection.apiId === undefined ? 'all' : apiLabel(choices, selection.apiId),
    route: selection.routeId === undefined ? 'all' : routeLabel(choices, selection.routeId),
    application: selection.applicationId === undefined ? 'all' : applicationLabel(choices, selection.applicationId),
    status: selection.statusClass ?? 'all',
  };
}
