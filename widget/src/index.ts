/**
 * Switchboard web-chat widget. Embed with one line:
 *   <script src="https://HOST/widget.js" data-channel="CHANNEL_ID" async></script>
 * The API base is where the script came from; the channel's settings (colour, position, greeting,
 * avatar, language, title, uploads) come from GET /v1/widget/:channelId/config.
 */
import { WidgetApi, WidgetApiError, type WidgetConfig } from './api';
import { Connection, randomId, type Frame } from './connection';
import { stringsFor } from './i18n';
import { Transcript, type ChatMessage } from './transcript';
import { WidgetUi } from './ui';
import { canRecord, VoiceRecorder } from './voice';

function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.channel) return current;
  return document.querySelector<HTMLScriptElement>('script[data-channel][src*="widget.js"]');
}

function start(script: HTMLScriptElement) {
  const channelId = script.dataset.channel!;
  const base = new URL(script.src, location.href).origin;
  const api = new WidgetApi(base, channelId);
  api
    .config()
    .then((config) => mount(api, config))
    .catch((err) => console.error(`[switchboard widget] channel ${channelId} could not be loaded:`, err instanceof Error ? err.message : err));
}

function mount(api: WidgetApi, config: WidgetConfig) {
  const t = stringsFor(config.language);
  // A custom element, not a div: page rules aimed at divs never reach the widget's host.
  const host = document.createElement('switchboard-widget');
  document.body.append(host);
  const transcript = new Transcript();

  const openState = new SessionFlag(`switchboard-widget:${config.channelId}:open`);
  const recorder = canRecord() ? new VoiceRecorder() : null;
  const ui: WidgetUi = new WidgetUi(host, config, t, {
    onOpen: () => {
      openState.set(true);
      void connection.start();
    },
    onClose: () => openState.set(false),
    onSend: (text) => send(text),
    onTyping: (typing) => connection.sendTyping(typing),
    onFile: (file) => void attach(file),
    voice: recorder ? { start: () => void recorder.start().catch(() => ui.notice(t.voice.noMic)), stop: () => void talk(recorder) } : undefined,
  }, api.base);

  const connection = new Connection(api, transcript, (frame) => handleFrame(frame), (state) =>
    ui.setStatus(state === 'open' ? null : state === 'connecting' ? t.connecting : t.reconnecting),
  );

  function send(text: string) {
    ui.addPending(connection.sendMessage(text), text);
  }

  function show(message: ChatMessage) {
    const pendingBefore = transcript.pending.map((p) => p.clientId);
    const changed = transcript.replace(message);
    if (changed !== undefined) return changed && ui.replaceMessage(changed);
    const index = transcript.add(message);
    for (const id of pendingBefore) if (!transcript.isPending(id)) ui.removePending(id);
    ui.insertMessage(message, index);
  }

  function handleFrame(frame: Frame) {
    if (frame.type === 'history') (frame.messages as ChatMessage[]).forEach(show);
    else if (frame.type === 'message') show(frame.message as ChatMessage);
    else if (frame.type === 'delta') ui.appendDelta(frame.streamKey, frame.delta, Boolean(frame.reset));
    else if (frame.type === 'reset') ui.dropDraft(frame.streamKey);
    else if (frame.type === 'typing' && frame.author === 'agent') ui.showTyping(frame.typing ? (frame.name ?? '') : null);
    else if (frame.type === 'error' && frame.error?.code !== 'unauthorized') ui.notice(frame.error?.message ?? 'error');
  }

  /** The held recording goes out as the visitor's message; the replies arrive on the socket like typed ones, and are spoken. */
  async function talk(voice: VoiceRecorder) {
    const recording = await voice.stop();
    if (!recording) return;
    try {
      const answer = await api.voice((await connection.ensureSession()).token, recording, randomId());
      if (answer.audioUrl) ui.playReply(new URL(answer.audioUrl, api.base).toString());
    } catch (err) {
      ui.notice(err instanceof WidgetApiError && err.code === 'validation_failed' ? t.voice.notHeard : t.voice.failed);
    }
  }

  async function attach(file: File) {
    const maxMb = Math.round(config.upload.maxBytes / (1024 * 1024));
    if (file.size > config.upload.maxBytes) return ui.notice(t.tooLarge(maxMb));
    if (!config.upload.types.includes(file.type)) return ui.notice(t.badType);
    try {
      const uploaded = await api.upload((await connection.ensureSession()).token, file);
      // The link ends in the file name, which is what the transcript shows for it.
      send(`📎 ${uploaded.url}`);
    } catch (err) {
      const status = err instanceof WidgetApiError ? err.status : 0;
      ui.notice(status === 415 ? t.badType : status === 413 ? t.tooLarge(maxMb) : t.uploadFailed);
    }
  }

  // Open on the previous page of this tab: stay open on this one (the socket connects only when
  // the panel opens, so a page view with the widget closed holds no connection).
  if (openState.get()) ui.open(false);
  exposeForPage(ui);
}

/** A per-tab flag in sessionStorage (absent when storage is unavailable). */
class SessionFlag {
  constructor(private readonly key: string) {}
  get(): boolean {
    try {
      return sessionStorage.getItem(this.key) === '1';
    } catch {
      return false;
    }
  }
  set(on: boolean) {
    try {
      if (on) sessionStorage.setItem(this.key, '1');
      else sessionStorage.removeItem(this.key);
    } catch {
      // nothing to remember it in
    }
  }
}

/** `window.SwitchboardWidget.open()` / `.close()` for pages that want their own "Chat with us" link. */
function exposeForPage(ui: WidgetUi) {
  (window as unknown as { SwitchboardWidget: object }).SwitchboardWidget = { open: () => ui.open(), close: () => ui.close() };
}

const script = findScript();
if (script) start(script);
else console.error('[switchboard widget] add data-channel="CHANNEL_ID" to the widget <script> tag');
