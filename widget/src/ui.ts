/**
 * The widget's DOM, inside a shadow root: a launcher button, and a non-modal dialog with the
 * transcript (a polite live region), the typing line and the composer. Esc closes the dialog and
 * gives focus back to the launcher; opening it focuses the message box.
 */
import type { WidgetConfig } from './api';
import type { Strings } from './i18n';
import { STYLES } from './styles';
import type { ChatMessage } from './transcript';
import { contentParts, deliveryMark, optionButtons, textIsReadableForm } from './content';

const ICON_CHAT = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';
const ICON_CLOSE = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7 2.9 18.3 9.2 12 2.9 5.7 4.3 4.3l6.3 6.3 6.3-6.3z"/></svg>';
const ICON_ATTACH = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6z"/></svg>';

const ICON_MIC = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V21h2v-3.1a7 7 0 0 0 6-6.9z"/></svg>';

const URL_PATTERN = /https?:\/\/[^\s<>"']+/g;

/** Black or white text, whichever reads better on the brand colour (WCAG relative luminance). */
export function textColorOn(hex: string): string {
  const full = hex.length === 4 ? `#${hex[1]}${hex[1]}${hex[2]}${hex[2]}${hex[3]}${hex[3]}` : hex;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.4 ? '#111' : '#fff';
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, html?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (html !== undefined) node.innerHTML = html;
  return node;
}

/** An attachment link (`…/v1/widget/files/<id>/<name>?sig=…`) reads as its file name. */
function linkLabel(url: string): string {
  const file = /\/v1\/widget\/files\/[^/]+\/([^/?#]+)/.exec(url);
  if (!file) return url;
  try {
    return decodeURIComponent(file[1]);
  } catch {
    return url;
  }
}

/** Text with its links made clickable; everything else stays text (never parsed as HTML). */
function withLinks(target: HTMLElement, text: string) {
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    target.append(text.slice(last, match.index));
    const a = el('a', { href: match[0], target: '_blank', rel: 'noopener noreferrer' });
    a.textContent = linkLabel(match[0]);
    target.append(a);
    last = match.index! + match[0].length;
  }
  target.append(text.slice(last));
}

export interface UiHandlers {
  onOpen(): void;
  onClose(): void;
  onSend(text: string): void;
  onTyping(typing: boolean): void;
  onFile(file: File): void;
  /** Push-to-talk, when the browser can record: pressed, released. */
  voice?: { start(): void; stop(): void };
}

export class WidgetUi {
  readonly root: ShadowRoot;
  private readonly launcher: HTMLButtonElement;
  private readonly panel: HTMLDivElement;
  private readonly log: HTMLDivElement;
  private readonly status: HTMLDivElement;
  private readonly typingLine: HTMLDivElement;
  private readonly input: HTMLTextAreaElement;
  private readonly drafts = new Map<string, HTMLDivElement>();
  private greeting: HTMLDivElement | null = null;
  private replyAudio: HTMLAudioElement | null = null;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private visitorTyping = false;
  private visitorTypingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    host: HTMLElement,
    private readonly config: WidgetConfig,
    private readonly t: Strings,
    private readonly handlers: UiHandlers,
    /** The API's origin, which relative file links are on. */
    private readonly apiBase: string,
  ) {
    host.setAttribute('data-position', config.position);
    this.root = host.attachShadow({ mode: 'open' });
    const style = el('style');
    style.textContent = `${STYLES}\n:host { --brand: ${config.brandColor}; --on-brand: ${textColorOn(config.brandColor)}; }`;

    this.launcher = el('button', { type: 'button', class: 'launcher', 'aria-label': t.open, 'aria-expanded': 'false', 'aria-controls': 'sb-panel', 'aria-haspopup': 'dialog' }, ICON_CHAT);
    this.panel = el('div', { id: 'sb-panel', class: 'panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'sb-title', lang: config.language, hidden: '' });

    const header = el('header');
    if (config.avatarUrl) header.append(el('img', { src: config.avatarUrl, alt: '' }));
    const title = el('h2', { id: 'sb-title' });
    title.textContent = config.title;
    const close = el('button', { type: 'button', class: 'icon-button close', 'aria-label': t.close }, ICON_CLOSE);
    header.append(title, close);

    this.status = el('div', { class: 'status', role: 'status', hidden: '' });
    this.log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': config.title });
    this.typingLine = el('div', { class: 'typing', 'aria-live': 'polite' });

    const form = el('form');
    this.input = el('textarea', { rows: '1', 'aria-label': t.message, placeholder: `${t.message}…`, maxlength: '8000' });
    const send = el('button', { type: 'submit', class: 'send' });
    send.textContent = t.send;
    if (config.fileUpload) {
      const file = el('input', { type: 'file', class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true', accept: config.upload.types.join(',') });
      const attach = el('button', { type: 'button', class: 'icon-button attach', 'aria-label': t.attach }, ICON_ATTACH);
      attach.addEventListener('click', () => file.click());
      file.addEventListener('change', () => {
        if (file.files?.[0]) handlers.onFile(file.files[0]);
        file.value = '';
      });
      form.append(file, attach);
    }
    if (handlers.voice) form.append(this.talkButton(handlers.voice));
    form.append(this.input, send);
    this.panel.append(header, this.status, this.log, this.typingLine, form);
    this.root.append(style, this.launcher, this.panel);

    if (config.greeting) {
      this.greeting = el('div', { class: 'msg greeting' });
      this.greeting.textContent = config.greeting;
      this.log.append(this.greeting);
    }

    this.launcher.addEventListener('click', () => (this.isOpen() ? this.close() : this.open()));
    close.addEventListener('click', () => this.close());
    // On the whole widget, so Esc also works while the launcher has focus.
    this.root.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Escape' && this.isOpen()) {
        e.stopPropagation();
        this.close();
      }
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener('input', () => this.typed());
  }

  /** Held (pointer, or Space / Enter on the keyboard) to record; released to send. */
  private talkButton(voice: NonNullable<UiHandlers['voice']>): HTMLButtonElement {
    const t = this.t.voice;
    const mic = el('button', { type: 'button', class: 'icon-button talk', 'aria-label': t.talk, title: t.talk, 'aria-pressed': 'false' }, ICON_MIC);
    const held = () => mic.getAttribute('aria-pressed') === 'true';
    const press = (e: Event) => {
      e.preventDefault();
      if (held()) return;
      mic.setAttribute('aria-pressed', 'true');
      this.setStatus(t.listening);
      voice.start();
    };
    const release = () => {
      if (!held()) return;
      mic.setAttribute('aria-pressed', 'false');
      this.setStatus(null);
      voice.stop();
    };
    mic.addEventListener('pointerdown', press);
    mic.addEventListener('pointerup', release);
    mic.addEventListener('pointerleave', release);
    mic.addEventListener('keydown', (e) => (e.key === ' ' || e.key === 'Enter') && !e.repeat && press(e));
    mic.addEventListener('keyup', (e) => (e.key === ' ' || e.key === 'Enter') && release());
    return mic;
  }

  /** Plays the spoken reply; where the browser refuses to play by itself, shows the player to press. */
  playReply(url: string) {
    this.replyAudio?.pause();
    this.replyAudio?.remove();
    const audio = el('audio', { class: 'reply-audio', src: url, preload: 'auto' });
    this.replyAudio = audio;
    this.panel.insertBefore(audio, this.typingLine);
    audio.play().catch(() => (audio.controls = true));
  }

  isOpen() {
    return !this.panel.hidden;
  }

  /** `focus` is false when the panel reopens by itself on a new page: the page keeps its focus. */
  open(focus = true) {
    this.panel.hidden = false;
    this.launcher.setAttribute('aria-expanded', 'true');
    this.launcher.setAttribute('aria-label', this.t.close);
    if (focus) this.input.focus();
    this.scrollDown();
    this.handlers.onOpen();
  }

  close() {
    this.panel.hidden = true;
    this.launcher.setAttribute('aria-expanded', 'false');
    this.launcher.setAttribute('aria-label', this.t.open);
    this.launcher.focus();
    this.handlers.onClose();
  }

  private submit() {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = '';
    this.stopVisitorTyping();
    this.handlers.onSend(text);
  }

  /** Typing on after the first keystroke, off after three quiet seconds or on send. */
  private typed() {
    if (!this.visitorTyping && this.input.value.trim()) {
      this.visitorTyping = true;
      this.handlers.onTyping(true);
    }
    clearTimeout(this.visitorTypingTimer);
    this.visitorTypingTimer = setTimeout(() => this.stopVisitorTyping(), 3_000);
  }

  private stopVisitorTyping() {
    clearTimeout(this.visitorTypingTimer);
    if (!this.visitorTyping) return;
    this.visitorTyping = false;
    this.handlers.onTyping(false);
  }

  setStatus(text: string | null) {
    this.status.hidden = !text;
    this.status.textContent = text ?? '';
  }

  private bubble(message: ChatMessage): HTMLDivElement {
    const div = el('div', { class: `msg ${message.author}`, 'data-id': message.id });
    if (message.author === 'agent') {
      const who = el('span', { class: 'who' });
      who.textContent = message.agentName || this.t.agent;
      div.append(who);
    }
    if (!textIsReadableForm(message)) withLinks(div, message.text);
    div.append(...contentParts(message, this.t, this.apiBase));
    const options = optionButtons(message.interactive, (text) => this.handlers.onSend(text));
    if (options) div.append(options);
    const mark = deliveryMark(message.delivery, this.t);
    if (mark) div.append(mark);
    return div;
  }

  /** Redraws a message already shown (its file arrived, or a receipt changed its mark). */
  replaceMessage(message: ChatMessage) {
    this.log.querySelector(`:scope > .msg[data-id="${CSS.escape(message.id)}"]`)?.replaceWith(this.bubble(message));
  }

  /** Places a stored message at its position in the transcript (index among stored messages). */
  insertMessage(message: ChatMessage, index: number) {
    if (message.author === 'bot') this.clearDrafts();
    if (message.author === 'agent') this.showTyping(null);
    const stored = this.log.querySelectorAll(':scope > .msg[data-id]');
    const anchor = stored[index] ?? this.log.querySelector(':scope > .msg.pending') ?? null;
    this.log.insertBefore(this.bubble(message), anchor);
    this.hideStaleOptions();
    this.scrollDown();
  }

  /** Options answer the latest message only: once anything follows, older buttons go. */
  private hideStaleOptions() {
    const stored = this.log.querySelectorAll(':scope > .msg[data-id]');
    const last = stored[stored.length - 1];
    for (const group of this.log.querySelectorAll<HTMLElement>('.choices')) group.hidden = group.parentElement !== last;
  }

  addPending(clientId: string, text: string) {
    const div = el('div', { class: 'msg contact pending', 'data-client-id': clientId, title: this.t.sending });
    withLinks(div, text);
    this.log.append(div);
    this.scrollDown();
  }

  removePending(clientId: string) {
    this.log.querySelector(`[data-client-id="${CSS.escape(clientId)}"]`)?.remove();
  }

  /** Streamed model text, replaced by the stored reply when it arrives. */
  appendDelta(streamKey: string, delta: string, reset: boolean) {
    let draft = this.drafts.get(streamKey);
    if (draft && reset) draft.textContent = '';
    if (!draft) {
      draft = el('div', { class: 'msg bot draft' });
      this.drafts.set(streamKey, draft);
      this.log.insertBefore(draft, this.log.querySelector(':scope > .msg.pending'));
    }
    draft.textContent += delta;
    this.scrollDown();
  }

  dropDraft(streamKey: string) {
    this.drafts.get(streamKey)?.remove();
    this.drafts.delete(streamKey);
  }

  private clearDrafts() {
    for (const d of this.drafts.values()) d.remove();
    this.drafts.clear();
  }

  /** "Maria is typing…" for a while, unless the agent stops or sends first. */
  showTyping(name: string | null) {
    clearTimeout(this.typingTimer);
    this.typingLine.textContent = name === null ? '' : this.t.typing(name || this.t.agent);
    if (name !== null) this.typingTimer = setTimeout(() => this.showTyping(null), 10_000);
  }

  notice(text: string) {
    const div = el('div', { class: 'msg error', role: 'alert' });
    div.textContent = text;
    this.log.append(div);
    this.scrollDown();
  }

  private scrollDown() {
    this.log.scrollTop = this.log.scrollHeight;
  }
}
