import { z } from 'zod';

import { OB_ROLES, type ObRole } from '../../openbanking/ob-vocabulary.ts';
import { readForm, type FormReading } from '../../shared/read-form.ts';

/*
 * The software statement form: the client's name, its redirect URIs (one a line) and its roles
 * (a checkbox each, `role_AISP` and so on, since a form field may come only once), with the words
 * each mistake is shown in. The rules are the sandbox directory's, which the authorization server
 * enforces again at registration.
 */

const MAX_REDIRECT_URIS = 10;

// FAPI 2.0 §5.3.2.1 and RFC 6749 §3.1.2: absolute https URIs without a fragment.
const redirectUri = z.string().max(2000, 'Enter redirect URIs of at most 2,000 characters').refine((uri) => {
  if (!URL.canParse(uri)) return false;
  const url = new URL(uri);
  return url.protocol === 'https:' && url.hostname !== '' && !uri.includes('#');
}, { error: (issue) => `${String(issue.input)} is not an absolute https URL without a fragment` });

const SOFTWARE_STATEMENT_FORM = z.object({
  client_name: z.string().trim().min(1, 'Enter the name customers will see').max(100, 'Enter a name of at most 100 characters'),
  redirect_uris: z.string().transform((text) => text.split(/\s+/).filter(Boolean)).pipe(z.array(redirectUri)
    .min(1, 'Enter at least one redirect URI')
    .max(MAX_REDIRECT_URIS, `Enter at most ${MAX_REDIRECT_URIS} redirect URIs`)),
});

export interface SoftwareStatementInput {
  clientName: string;
  redirectUris: string[];
  roles: ObRole[];
}

/** Reads the form: the statement to ask the directory for, or each field's first mistake (no role ticked is the first role's). */
export function readSoftwareStatementForm(form: Record<string, string>): FormReading<SoftwareStatementInput> {
  const read = readForm(SOFTWARE_STATEMENT_FORM, form);
  const roles = OB_ROLES.filter((role) => form[`role_${role}`] !== undefined);
  const errors = read.ok ? [] : read.errors;
  if (roles.length === 0) errors.push({ field: `role_${OB_ROLES[0]}`, message: 'Choose at least one role' });
  if (!read.ok || errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { clientName: read.value.client_name, redirectUris: [...new Set(read.value.redirect_uris)], roles } };
}
