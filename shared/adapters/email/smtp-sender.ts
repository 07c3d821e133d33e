import nodemailer, { type Transporter } from 'nodemailer';
import SMTPTransport from 'nodemailer/lib/smtp-transport';
import { smtpFailureKind, type OutgoingEmail } from '../../domain/email/email-delivery';
import type { EmailSendResult, EmailSender } from '../../ports/email';

/** A failed SMTP exchange: the server's reply code when it answered, and a message free of credentials. */
export class SmtpTransientError extends Error {
  constructor(
    message: string,
    readonly responseCode?: number
  ) {
    super(message);
    this.name = 'SmtpTransientError';
  }
}

/**
 * Sends mail through the SMTP server named by an `smtp://` or `smtps://` URL (`user:pass@` optional;
 * nodemailer reads options from the URL too). The credentials never appear in what it answers or
 * throws. Time limits are short so a dead server fails an attempt instead of holding the worker.
 */
export class SmtpSender implements EmailSender {
  readonly #transport: Transporter;
  readonly #secrets: string[];

  constructor(
    url: string,
    timeouts: { connectionMs: number; greetingMs: number; socketMs: number } = {
      connectionMs: 10_000,
      greetingMs: 10_000,
      socketMs: 30_000,
    }
  ) {
    const parsed = new URL(url);
    this.#secrets = [parsed.password, decodeURIComponent(parsed.password)].filter((s) => s.length >= 3);
    // The transport itself, not createTransport(url, ...): the second argument there is mail defaults.
    this.#transport = nodemailer.createTransport(
      new SMTPTransport({
        url,
        connectionTimeout: timeouts.connectionMs,
        greetingTimeout: timeouts.greetingMs,
        socketTimeout: timeouts.socketMs,
      })
    );
  }

  async send(mail: OutgoingEmail): Promise<EmailSendResult> {
    try {
      const info = (await this.#transport.sendMail({
        messageId: mail.messageId,
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html === undefined ? {} : { html: mail.html }),
      })) as { response?: string };
      return { outcome: 'sent', smtpResponse: this.#redact(info.response ?? '') };
    } catch (err) {
      const { responseCode, code: errorCode } = err as { responseCode?: unknown; code?: unknown };
      const code = typeof responseCode === 'number' ? responseCode : undefined;
      const message = this.#redact(err instanceof Error ? err.message : String(err));
      if (smtpFailureKind(code, typeof errorCode === 'string' ? errorCode : undefined) === 'permanent')
        return { outcome: 'rejected', reason: message };
      throw new SmtpTransientError(message, code);
    }
  }

  close(): void {
    this.#transport.close();
  }

  #redact(text: string): string {
    return this.#secrets.reduce((out, secret) => out.split(secret).join('***'), text);
  }
}
