/**
 * The widget's CSS, inside its shadow root: the page's selectors cannot reach in, and
 * `:host { all: initial !important }` cuts what the host element would inherit or be given by the
 * page (an `!important` rule of the shadow tree outranks the page's own `!important` on the host).
 * `--brand` comes from the channel settings.
 */
export const STYLES = `
:host { all: initial !important; }
* { box-sizing: border-box; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; letter-spacing: normal; word-spacing: normal;
  text-transform: none; text-align: left; text-shadow: none; font-style: normal; }
.launcher, .panel { position: fixed; z-index: 2147483000; }
.launcher { bottom: 20px; width: 56px; height: 56px; border-radius: 50%; border: 0; cursor: pointer;
  background: var(--brand); color: var(--on-brand); box-shadow: 0 4px 14px rgba(0,0,0,.25); display: grid; place-items: center; }
.launcher svg { width: 26px; height: 26px; fill: currentColor; }
.launcher:focus-visible, button:focus-visible, textarea:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
:host([data-position="right"]) .launcher, :host([data-position="right"]) .panel { right: 20px; }
:host([data-position="left"]) .launcher, :host([data-position="left"]) .panel { left: 20px; }
.panel { bottom: 88px; width: 370px; height: min(600px, calc(100vh - 110px)); background: #fff; color: #1c1e21;
  border-radius: 14px; box-shadow: 0 8px 32px rgba(0,0,0,.25); display: flex; flex-direction: column; overflow: hidden; font-size: 15px; }
.panel[hidden] { display: none; }
header { background: var(--brand); color: var(--on-brand); padding: 12px 14px; display: flex; align-items: center; gap: 10px; }
header img { width: 32px; height: 32px; border-radius: 50%; object-fit: cover; background: #fff; }
header h2 { font-size: 16px; font-weight: 600; margin: 0; flex: 1; }
.icon-button { background: transparent; border: 0; color: inherit; cursor: pointer; width: 36px; height: 36px; border-radius: 8px; display: grid; place-items: center; }
.icon-button svg { width: 20px; height: 20px; fill: currentColor; }
.status { background: #fff4e5; color: #6b4300; font-size: 13px; padding: 6px 12px; }
.status[hidden] { display: none; }
.log { flex: 1; overflow-y: auto; padding: 14px; display: flex; flex-direction: column; gap: 8px; background: #f6f7f9; }
.msg { max-width: 82%; padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.4; }
.msg a { color: inherit; text-decoration: underline; }
.msg.contact { align-self: flex-end; background: var(--brand); color: var(--on-brand); border-bottom-right-radius: 4px; }
.msg.bot, .msg.greeting { align-self: flex-start; background: #fff; border: 1px solid #e1e4e8; border-bottom-left-radius: 4px; }
.msg.agent { align-self: flex-start; background: #eaf6ef; border: 1px solid #2e8b57; border-bottom-left-radius: 4px; }
.msg.system { align-self: center; background: transparent; color: #5f6368; font-size: 13px; }
.msg.pending { opacity: .6; }
.msg.error { align-self: center; color: #b00020; background: transparent; font-size: 13px; }
.file, .card { display: block; margin-top: 6px; }
.file.preview img { display: block; max-width: 100%; max-height: 200px; border-radius: 10px; }
.file.pending, .file.failed { font-size: 13px; opacity: .8; font-style: italic; }
audio.file, video.file { max-width: 100%; }
video.player { display: block; width: 100%; max-height: 320px; border-radius: 10px; background: #000; }
.card { padding: 6px 8px; border-radius: 8px; background: rgba(0,0,0,.05); color: inherit; white-space: normal; }
.choices { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; white-space: normal; }
.choices[hidden] { display: none; }
.choice { border: 1px solid var(--brand); background: #fff; color: var(--brand); border-radius: 16px; padding: 4px 12px; font: inherit; cursor: pointer; }
.choice:disabled { cursor: default; opacity: .6; }
.choice.picked { background: var(--brand); color: var(--on-brand); opacity: 1; }
.choices.stars { flex-direction: row-reverse; justify-content: flex-end; gap: 2px; }
.choices.stars .choice { border: 0; background: transparent; color: #c4c7cc; font-size: 26px; line-height: 1; padding: 2px; }
.choices.stars:not(:has(:disabled)) .choice:hover, .choices.stars:not(:has(:disabled)) .choice:hover ~ .choice, .choices.stars .choice.picked, .choices.stars .choice.picked ~ .choice { color: #f5a623; background: transparent; }
.delivery { display: block; font-size: 11px; text-align: right; opacity: .75; }
.delivery.failed { color: #b00020; opacity: 1; }
.who { display: block; font-size: 12px; font-weight: 600; color: #1e6b41; margin-bottom: 2px; }
.typing { font-size: 13px; color: #5f6368; padding: 0 14px 6px; min-height: 1.4em; background: #f6f7f9; }
form { display: flex; align-items: flex-end; gap: 6px; padding: 10px; border-top: 1px solid #e1e4e8; background: #fff; }
textarea { flex: 1; resize: none; font: inherit; padding: 9px 10px; border: 1px solid #c9ced6; border-radius: 10px; max-height: 120px; min-height: 40px; color: inherit; background: #fff; }
form .icon-button { color: #5f6368; }
.talk[aria-pressed="true"] { color: var(--on-brand); background: var(--brand); }
.reply-audio:not([controls]) { display: none; }
.reply-audio { width: 100%; }
.send { background: var(--brand); color: var(--on-brand); border: 0; border-radius: 10px; padding: 0 14px; height: 40px; font: inherit; font-weight: 600; cursor: pointer; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 480px) {
  .panel { inset: 0 !important; width: 100%; height: 100%; border-radius: 0; }
  .launcher { bottom: 16px; }
}
`;
