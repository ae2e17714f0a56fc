// Drives a running skill endpoint with virtual-alexa, built from an interaction model file.
// Usage: node drive.js MODEL_FILE SKILL_URL STEP... where a step is "launch" or an utterance.
// Prints one JSON line per step: {"step": ..., "request": {...}, "response": {...}}, or
// {"step": ..., "error": "..."} when virtual-alexa cannot build or send that request.
// VIRTUAL_ALEXA_USER_ID, when set, is the user id every request carries;
// VIRTUAL_ALEXA_LOCALE, when set, is the locale every request carries (default en-US).
"use strict";

const { VirtualAlexa } = require("virtual-alexa");

async function main([modelFile, skillURL, ...steps]) {
  const alexa = VirtualAlexa.Builder()
    .interactionModelFile(modelFile)
    .skillURL(skillURL)
    .locale(process.env.VIRTUAL_ALEXA_LOCALE || "en-US")
    .create();
  let sent = null;
  alexa.filter((request) => {
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
    try {
      const response = step === "launch" ? await alexa.launch() : await alexa.utter(step);
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
