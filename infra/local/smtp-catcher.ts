import type { AddressInfo } from 'net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/**
 * A local SMTP server that accepts every mail and keeps it: `npm run smtp-catcher` prints each one
 * (point the app at it with `SMTP_URL=smtp://127.0.0.1:2525`), and tests start it to see what the app
 * sent. Loopback only, no TLS, any login accepted.
 */

export interface CaughtMail {
  /** The envelope: MAIL FROM and RCPT TO. */
  from: string;
  to: string[];
  /** Header names in lower case, each with its last value (unfolded). */
  headers: Record<string, string>;
  subject: string;
  messageId: string;
  text?: string;
  html?: string;
  raw: string;
}

/** An SMTP error reply for a mail: `{code: 451, message: 'try later'}`, or undefined to accept it. */
export type SmtpAnswer = (mail: CaughtMail, index: number) => { code: number; message: string } | undefined;

export interface SmtpCatcher {
  port: number;
  /** Every mail accepted, in order of arrival. */
  mails: CaughtMail[];
  close(): Promise<void>;
}

export async function startSmtpCatcher(
  options: {
    port?: number;
    answer?: SmtpAnswer;
    onMail?: (mail: CaughtMail) => void;
    /** Refuse every login with 535 (a server whose credentials are wrong in SMTP_URL). */
    refuseLogin?: boolean;
  } = {}
): Promise<SmtpCatcher> {
  const mails: CaughtMail[] = [];
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth: (_auth, _session, callback) =>
      options.refuseLogin
        ? callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }))
        : callback(null, { user: 'local' }),
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mail = parseMail(Buffer.concat(chunks).toString('utf8'), session);
        const refusal = options.answer?.(mail, received++);
        if (refusal !== undefined) {
          callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
          return;
        }
        mails.push(mail);
        options.onMail?.(mail);
        callback(null, `OK: caught as ${mails.length}`);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The parts of a mail as nodemailer writes them: headers, and the text and HTML of a multipart body. */
export function parseMail(raw: string, session?: SMTPServerSession): CaughtMail {
  const { headers, body } = splitHeaders(raw);
  const parts = leafParts(headers, body);
  const text = parts.find((p) => p.type === 'text/plain')?.content;
  const html = parts.find((p) => p.type === 'text/html')?.content;
  const envelope = session?.envelope;
  return {
    from: envelope && envelope.mailFrom ? envelope.mailFrom.address : (headers.from ?? ''),
    to: envelope ? envelope.rcptTo.map((r) => r.address) : [headers.to ?? ''],
    headers,
    subject: decodeWords(headers.subject ?? ''),
    messageId: headers['message-id'] ?? '',
    ...(text === undefined ? {} : { text }),
    ...(html === undefined ? {} : { html }),
    raw,
  };
}

function splitHeaders(raw: string): { headers: Record<string, string>; body: string } {
  const normalized = raw.replace(/\r\n/g, '\n');
  const end = normalized.indexOf('\n\n');
  const head = end < 0 ? normalized : normalized.slice(0, end);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: end < 0 ? '' : normalized.slice(end + 2) };
}

function leafParts(headers: Record<string, string>, body: string): { type: string; content: string }[] {
  const contentType = headers['content-type'] ?? 'text/plain';
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (type.startsWith('multipart/') && boundary !== undefined) {
    return body
      .split(`--${boundary}`)
      .slice(1)
      .filter((part) => !part.startsWith('--'))
      .flatMap((part) => {
        const inner = splitHeaders(part.replace(/^\n/, ''));
        return leafParts(inner.headers, inner.body);
      });
  }
  return [{ type, content: decodeBody(body, headers['content-transfer-encoding']) }];
}

function decodeBody(body: string, encoding = '7bit'): string {
  switch (encoding.toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return Buffer.from(
        body
          .replace(/=\n/g, '')
          .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        'latin1'
      ).toString('utf8');
    default:
      return body;
  }
}

/** RFC 2047 encoded words (`=?UTF-8?Q?...?=`, `=?UTF-8?B?...?=`), as nodemailer writes non-ASCII subjects. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_m, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeBody(data.replace(/_/g, ' '), 'quoted-printable')
    );
}

function show(mail: CaughtMail): string {
  return [
    `--- mail ${new Date().toISOString()}`,
    `from: ${mail.from}`,
    `to: ${mail.to.join(', ')}`,
    `subject: ${mail.subject}`,
    `message-id: ${mail.messageId}`,
    '',
    mail.text ?? mail.raw,
  ].join('\n');
}

async function main(): Promise<void> {
  const port = Number(process.env.SMTP_CATCHER_PORT ?? 2525);
  const catcher = await startSmtpCatcher({ port, onMail: (mail) => console.log(show(mail)) });
  console.log(
    `smtp catcher listening on smtp://127.0.0.1:${catcher.port} (SMTP_URL=smtp://127.0.0.1:${catcher.port})`
  );
  const stop = () => void catcher.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
