// Drives a running skill endpoint with virtual-alexa, built from an interaction model file.
// Usage: node drive.js MODEL_FILE SKILL_URL STEP... where a step is "launch" or an utterance.
// Prints one JSON line per step: {"step": ..., "request": {...}, "response": {...}}, or
// {"step": ..., "error": "..."} when virtual-alexa cannot build or send that request.
// VIRTUAL_ALEXA_USER_ID, when set, is the user id every request carries;
// VIRTUAL_ALEXA_LOCALE, when set, is the locale every request carries (default en-US).
// Requests are stamped like a real device's: each one after the previous response has played
// (its words and breaks), a few seconds later; a step "@20 pause" says "pause" 20 s into the
// previous response instead, as a user who interrupts with "Alexa".
"use strict";

const ANSWER_MS = 3000; // from the end of a response to the stamp of the user's answer

// A response's playing time, by the same measure as the skill's SSML builder.
function playingMs(ssml) {
  let ms = 0;
  for (const match of ssml.matchAll(/<break time="(\d+)ms"\/>/g)) ms += Number(match[1]);
  const text = ssml.replace(/<[^>]+>/g, " ").replace(/&apos;/g, "'");
  for (const word of text.match(/[^\W\d_]+(?:'[^\W\d_]+)?|\d/gu) || []) {
    ms += /\d/.test(word) ? 300 : 160 + 55 * word.length;
  }
  ms += 200 * (text.match(/[,;:\u2013\u2014]/g) || []).length;
  ms += 500 * (text.match(/\.\.\./g) || []).length;
  ms += 350 * (text.replace(/\.\.\./g, "").match(/[.!?]/g) || []).length;
  return ms;
}

const { VirtualAlexa } = require("virtual-alexa");

async function main([modelFile, skillURL, ...steps]) {
  const alexa = VirtualAlexa.Builder()
    .interactionModelFile(modelFile)
    .skillURL(skillURL)
    .locale(process.env.VIRTUAL_ALEXA_LOCALE || "en-US")
    .create();
  // An Echo without a player: these dialogues are coached turn by turn (drive_stream.js plays).
  alexa.context().device().audioPlayerSupported(false);
  let sent = null;
  let clock = Date.now();
  let lastSentAt = clock;
  alexa.filter((request) => {
    request.request.timestamp = new Date(clock).toISOString().replace(/\.\d+Z$/, "Z");
    lastSentAt = clock;
    // The Settings API of a real device is out of reach here: point it at nothing.
    request.context.System.apiEndpoint = "http://127.0.0.1:9";
    const userId = process.env.VIRTUAL_ALEXA_USER_ID;
    if (userId) {
      request.context.System.user.userId = userId;
      if (request.session) request.session.user.userId = userId;
    }
    sent = request.request;
  });
  for (const step of steps) {
    let line;
    let said = step;
    const interruption = /^@(\d+) (.*)$/.exec(step);
    if (interruption) {
      clock = lastSentAt + Number(interruption[1]) * 1000;
      said = interruption[2];
    }
    try {
      const response = said === "launch" ? await alexa.launch() : await alexa.utter(said);
      const speech = (response.response && response.response.outputSpeech) || {};
      clock = lastSentAt + playingMs(speech.ssml || "") + ANSWER_MS;
      line = { step, request: sent, response };
    } catch (error) {
      line = { step, error: String(error.message || error) }; // e.g. an utterance it cannot match
    }
    process.stdout.write(JSON.stringify(line) + "\n");
  }
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
