/** The Cosmos write journal cannot be read back or written. */
export class CosmosJournalError extends Error {
  override readonly name = 'CosmosJournalError';
  constructor(
    message: string,
    readonly journalPath: string,
    options?: ErrorOptions
  ) {
    super(`${message} (journal ${journalPath})`, options);
  }
}

/** A local service (Azurite, the Cosmos server) did not come up or could not be supervised. */
export class ServiceStartError extends Error {
  override readonly name = 'ServiceStartError';
  constructor(
    readonly service: string,
    message: string,
    options?: ErrorOptions
  ) {
    super(`${service}: ${message}`, options);
  }
}
