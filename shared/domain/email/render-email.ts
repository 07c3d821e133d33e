import Mustache from 'mustache';
import type { EmailTemplate } from './email-template';

/** A rendered email: the template's parts with the model's values filled in. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html?: string;
}

// Subject and text are plain text: HTML-escaping them would show `&amp;` to the reader.
const plainText = { escape: (value: unknown) => String(value) };

/**
 * Renders a template with a model (any plain object: the order, its lines, shipments, ...). In `html`,
 * `{{x}}` is HTML-escaped and `{{{x}}}` is not; in subject and text nothing is escaped, and the
 * subject's white space (line breaks included) collapses to single spaces. A missing
 * value renders as nothing, as Mustache does.
 */
export function renderEmail(
  template: EmailTemplate,
  model: Readonly<Record<string, unknown>>
): RenderedEmail {
  return {
    // One line: a line break in a subject would end the mail header.
    subject: Mustache.render(template.subject, model, {}, plainText).replace(/\s+/g, ' ').trim(),
    text: Mustache.render(template.text, model, {}, plainText),
    ...(template.html === undefined ? {} : { html: Mustache.render(template.html, model) }),
  };
}
