/** The widget's own words, by the channel's language (its primary subtag); English otherwise. */
export interface Strings {
  open: string;
  close: string;
  message: string;
  send: string;
  attach: string;
  agent: string;
  typing: (who: string) => string;
  connecting: string;
  reconnecting: string;
  sending: string;
  tooLarge: (mb: number) => string;
  badType: string;
  uploadFailed: string;
  /** A file the contact sent that is still being fetched from the provider. */
  downloading: string;
  fileFailed: string;
  openMap: string;
  /** The link under a video player, for browsers that cannot play it. */
  openVideo: string;
  delivery: { sent: string; delivered: string; read: string; failed: string };
  /** Push-to-talk: the button, while recording, and what went wrong. */
  voice: { talk: string; listening: string; noMic: string; failed: string; notHeard: string };
}

const en: Strings = {
  open: 'Open chat',
  close: 'Close chat',
  message: 'Message',
  send: 'Send',
  attach: 'Attach a file',
  agent: 'Agent',
  typing: (who) => `${who} is typing…`,
  connecting: 'Connecting…',
  reconnecting: 'Connection lost. Reconnecting…',
  sending: 'Sending…',
  tooLarge: (mb) => `That file is too large (${mb} MB at most).`,
  badType: 'That kind of file cannot be attached.',
  uploadFailed: 'The file could not be uploaded.',
  downloading: 'Downloading…',
  fileFailed: 'failed',
  openMap: 'open map',
  openVideo: 'Watch the video',
  delivery: { sent: 'Sent', delivered: 'Delivered', read: 'Read', failed: 'Not delivered' },
  voice: { talk: 'Hold to talk', listening: 'Listening… release to send', noMic: 'The microphone could not be used.', failed: 'Your message could not be sent.', notHeard: 'Sorry, nothing was heard. Try again.' },
};

const STRINGS: Record<string, Strings> = {
  en,
  nl: {
    open: 'Chat openen',
    close: 'Chat sluiten',
    message: 'Bericht',
    send: 'Versturen',
    attach: 'Bestand bijvoegen',
    agent: 'Medewerker',
    typing: (who) => `${who} is aan het typen…`,
    connecting: 'Verbinden…',
    reconnecting: 'Verbinding verbroken. Opnieuw verbinden…',
    sending: 'Versturen…',
    tooLarge: (mb) => `Dit bestand is te groot (maximaal ${mb} MB).`,
    badType: 'Dit soort bestand kan niet worden bijgevoegd.',
    uploadFailed: 'Het bestand kon niet worden geüpload.',
    downloading: 'Downloaden…',
    fileFailed: 'mislukt',
    openMap: 'kaart openen',
    openVideo: 'Bekijk de video',
    delivery: { sent: 'Verstuurd', delivered: 'Afgeleverd', read: 'Gelezen', failed: 'Niet afgeleverd' },
    voice: { talk: 'Ingedrukt houden om te praten', listening: 'Luisteren… loslaten om te versturen', noMic: 'De microfoon kon niet worden gebruikt.', failed: 'Je bericht kon niet worden verstuurd.', notHeard: 'Sorry, er was niets te horen. Probeer het opnieuw.' },
  },
  de: {
    open: 'Chat öffnen',
    close: 'Chat schließen',
    message: 'Nachricht',
    send: 'Senden',
    attach: 'Datei anhängen',
    agent: 'Mitarbeiter',
    typing: (who) => `${who} schreibt…`,
    connecting: 'Verbinde…',
    reconnecting: 'Verbindung unterbrochen. Verbinde erneut…',
    sending: 'Wird gesendet…',
    tooLarge: (mb) => `Die Datei ist zu groß (höchstens ${mb} MB).`,
    badType: 'Diese Art von Datei kann nicht angehängt werden.',
    uploadFailed: 'Die Datei konnte nicht hochgeladen werden.',
    downloading: 'Wird geladen…',
    fileFailed: 'fehlgeschlagen',
    openMap: 'Karte öffnen',
    openVideo: 'Video ansehen',
    delivery: { sent: 'Gesendet', delivered: 'Zugestellt', read: 'Gelesen', failed: 'Nicht zugestellt' },
    voice: { talk: 'Zum Sprechen gedrückt halten', listening: 'Ich höre zu… zum Senden loslassen', noMic: 'Das Mikrofon konnte nicht verwendet werden.', failed: 'Deine Nachricht konnte nicht gesendet werden.', notHeard: 'Leider war nichts zu hören. Bitte noch einmal.' },
  },
  fr: {
    open: 'Ouvrir le chat',
    close: 'Fermer le chat',
    message: 'Message',
    send: 'Envoyer',
    attach: 'Joindre un fichier',
    agent: 'Conseiller',
    typing: (who) => `${who} écrit…`,
    connecting: 'Connexion…',
    reconnecting: 'Connexion perdue. Reconnexion…',
    sending: 'Envoi…',
    tooLarge: (mb) => `Ce fichier est trop volumineux (${mb} Mo maximum).`,
    badType: 'Ce type de fichier ne peut pas être joint.',
    uploadFailed: "Le fichier n'a pas pu être envoyé.",
    downloading: 'Téléchargement…',
    fileFailed: 'échec',
    openMap: 'ouvrir la carte',
    openVideo: 'Voir la vidéo',
    delivery: { sent: 'Envoyé', delivered: 'Distribué', read: 'Lu', failed: 'Non distribué' },
    voice: { talk: 'Maintenir pour parler', listening: 'Écoute… relâchez pour envoyer', noMic: "Le microphone n'a pas pu être utilisé.", failed: "Votre message n'a pas pu être envoyé.", notHeard: "Désolé, rien n'a été entendu. Réessayez." },
  },
  es: {
    open: 'Abrir el chat',
    close: 'Cerrar el chat',
    message: 'Mensaje',
    send: 'Enviar',
    attach: 'Adjuntar un archivo',
    agent: 'Agente',
    typing: (who) => `${who} está escribiendo…`,
    connecting: 'Conectando…',
    reconnecting: 'Conexión perdida. Reconectando…',
    sending: 'Enviando…',
    tooLarge: (mb) => `El archivo es demasiado grande (máximo ${mb} MB).`,
    badType: 'Ese tipo de archivo no se puede adjuntar.',
    uploadFailed: 'No se pudo subir el archivo.',
    downloading: 'Descargando…',
    fileFailed: 'falló',
    openMap: 'abrir el mapa',
    openVideo: 'Ver el vídeo',
    delivery: { sent: 'Enviado', delivered: 'Entregado', read: 'Leído', failed: 'No entregado' },
    voice: { talk: 'Mantén pulsado para hablar', listening: 'Escuchando… suelta para enviar', noMic: 'No se pudo usar el micrófono.', failed: 'No se pudo enviar tu mensaje.', notHeard: 'Lo siento, no se oyó nada. Inténtalo de nuevo.' },
  },
};

export function stringsFor(language: string): Strings {
  return STRINGS[language.toLowerCase().split('-')[0]] ?? en;
}
