/**
 * A provider message on the `provider-inbound` queue: what arrived, from which instance, and the
 * body as received (inline when small, otherwise in the archive).
 */
export interface InboundMessage {
  instanceId: string;
  messageType: string;
  /** The provider's id of this message (delivery id, `{id}@{updated_at}`, file and row). */
  messageId: string;
  receivedAt: string;
  /** How it came: a webhook, a poll, a file drop, or a resubmit of an earlier failure. */
  via: 'webhook' | 'poll' | 'file';
  /** The body text exactly as received. */
  body?: string;
  /** The archive record holding the body when it is not inline. */
  archived?: string;
  /** The W3C trace context of its arrival (docs/telemetry.md); absent in messages from before tracing. */
  traceparent?: string;
}

/** Where an inbound message failed for a reason that retrying will not fix. */
export type InboundStep =
  | 'delivery'
  | 'instance'
  | 'enrichment'
  | 'transformation'
  | 'mapping'
  | 'validation'
  | 'cancellation'
  | 'fulfillment-order'
  | 'return';

/** A message that cannot become an order until someone fixes the cause (mapping, transformation, data). */
export class InboundMessageError extends Error {
  constructor(
    readonly step: InboundStep,
    message: string,
    readonly detail?: string
  ) {
    super(message);
    this.name = 'InboundMessageError';
  }
}
