/** A provider's API answered with a failure after any retries (or could not be reached). */
export class ProviderCallError extends Error {
  constructor(
    message: string,
    /** The final HTTP status; undefined when no answer came (timeout, refused connection). */
    readonly status: number | undefined,
    /** A bounded excerpt of the answer's body, for the error list. */
    readonly body?: string
  ) {
    super(message);
    this.name = 'ProviderCallError';
  }

  /** 4xx other than 408/429: asking again will not help until someone fixes the request or the data. */
  get permanent(): boolean {
    return (
      this.status !== undefined &&
      this.status >= 400 &&
      this.status < 500 &&
      this.status !== 408 &&
      this.status !== 429
    );
  }
}
