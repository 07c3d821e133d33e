import Mustache from 'mustache';
import { ValidationError, type ValidationIssue } from '../errors';

/**
 * An email template: Mustache text (logic-less: `{{name}}`, sections `{{#lines}}…{{/lines}}`,
 * inverted sections `{{^x}}…{{/x}}`; no code runs in a template). `html` is optional.
 */
export interface EmailTemplate {
  subject: string;
  text: string;
  html?: string;
}

/** A template as the API shows it: built-ins come with the code, the others were stored by users. */
export interface NamedEmailTemplate extends EmailTemplate {
  id: string;
  builtIn: boolean;
  createdAt?: string;
  updatedAt?: string;
}

const parts = ['subject', 'text', 'html'] as const;

/**
 * The template if every part parses; otherwise a ValidationError naming each bad part (`/html`)
 * with the parser's message (e.g. `Unclosed section "lines" at 42`). Checked when a template is
 * stored, so a stored template never fails to render.
 */
export function checkEmailTemplate<T extends EmailTemplate>(template: T): T {
  const issues: ValidationIssue[] = [];
  for (const part of parts) {
    const source = template[part];
    if (source === undefined) continue;
    try {
      Mustache.parse(source);
    } catch (err) {
      issues.push({ path: `/${part}`, message: err instanceof Error ? err.message : String(err) });
    }
  }
  if (issues.length > 0) throw new ValidationError('The email template does not parse.', issues);
  return template;
}
