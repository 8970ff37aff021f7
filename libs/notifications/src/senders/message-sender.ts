export interface OutgoingMessage {
  id: string;
  channel: 'EMAIL' | 'SMS';
  to: string;
  subject: string | null;
  html: string | null;
  text: string;
  templateKey: string;
  locale: 'en' | 'vi';
}

/** A delivery channel. `send` resolves once the provider accepted the message, and throws otherwise. */
export abstract class EmailSender {
  abstract send(message: OutgoingMessage): Promise<void>;
  close?(): Promise<void>;
}

export abstract class SmsSender {
  abstract send(message: OutgoingMessage): Promise<void>;
}
