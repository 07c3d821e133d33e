import type { Container } from '@azure/cosmos';
import type { Clock } from '../../ports/clock';
import type { EmailTemplateRepository, StoredEmailTemplate } from '../../ports/email';
import { DocumentStore, type Stored } from './document-store';

/** The partition of the `config` container (partition key `/kind`) holding every user email template. */
const partition = 'email-template';

interface EmailTemplateDocument {
  /** `email-template:{id}`. */
  id: string;
  type: typeof partition;
  kind: typeof partition;
  template: StoredEmailTemplate;
  createdAt?: string;
  updatedAt?: string;
}

/** User email templates in `config`, all in one partition (a handful per tenant). */
export class CosmosEmailTemplateRepository implements EmailTemplateRepository {
  readonly #store: DocumentStore<EmailTemplateDocument>;

  constructor(container: Container, clock: Clock) {
    this.#store = new DocumentStore<EmailTemplateDocument>(container, '/kind', clock);
  }

  async get(id: string): Promise<StoredEmailTemplate | undefined> {
    return (await this.#store.read(documentIdOf(id), partition))?.template;
  }

  async list(): Promise<StoredEmailTemplate[]> {
    const templates: StoredEmailTemplate[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.#store.query<Stored<EmailTemplateDocument>>(
        `SELECT * FROM c WHERE c.kind = '${partition}' AND c.type = '${partition}'`,
        {},
        { partitionKey: partition, ...(continuationToken === undefined ? {} : { continuationToken }) }
      );
      templates.push(...page.items.map((doc) => doc.template));
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
    return templates.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async put(template: StoredEmailTemplate): Promise<void> {
    await this.#store.upsert({
      id: documentIdOf(template.id),
      type: partition,
      kind: partition,
      template,
      createdAt: template.createdAt,
    });
  }
}

function documentIdOf(id: string): string {
  return `${partition}:${id}`;
}
