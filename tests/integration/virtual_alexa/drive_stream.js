// Drives a running skill endpoint with virtual-alexa's AudioPlayer simulation: an Echo that
// plays audio, sending the playback events for the directives the skill returns.
// Usage: node drive_stream.js MODEL_FILE SKILL_URL STEP... where a step is "launch", an
// utterance, "play" (the queue plays to its end: nearly finished, finished, the next started),
// "play N" (N items play to their end) or "at MS" (the current item plays MS milliseconds in).
// Prints one JSON line per request sent: {"step": ..., "request": {...}, "response": {...}}.
// VIRTUAL_ALEXA_USER_ID, when set, is the user id every request carries.
"use strict";

const SEGMENT_MS = 60000; // the clock moves on this much per item played to its end

const { VirtualAlexa } = require("virtual-alexa");

async function main([modelFile, skillURL, ...steps]) {
  const alexa = VirtualAlexa.Builder()
    .interactionModelFile(modelFile)
    .skillURL(skillURL)
    .locale("en-US")
    .create();
  alexa.context().device().audioPlayerSupported(true);
  let clock = Date.now();
  let step = null;
  alexa.filter((request) => {
    request.request.timestamp = new Date(clock).toISOString().replace(/\.\d+Z$/, "Z");
    request.context.System.apiEndpoint = "http://127.0.0.1:9";
    const userId = process.env.VIRTUAL_ALEXA_USER_ID;
    if (userId) {
      request.context.System.user.userId = userId;
      if (request.session) request.session.user.userId = userId;
    }
    clock += 1000;
  });
  const player = alexa.audioPlayer();
  // Every request and its response is printed, the events the player sends by itself too.
  const interactor = alexa.interactor();
  const invoke = interactor.invoke.bind(interactor);
  interactor.invoke = async (request) => {
    const response = await invoke(request);
    process.stdout.write(JSON.stringify({ step, request, response }) + "\n");
    return response;
  };
  for (step of steps) {
    const playing = /^play(?: (\d+))?$/.exec(step);
    const at = /^at (\d+)$/.exec(step);
    if (playing) {
      let left = playing[1] ? Number(playing[1]) : Infinity;
      while (left-- > 0 && player.isPlaying()) {
        await player.playbackNearlyFinished();
        clock += SEGMENT_MS;
        await player.playbackFinished();
      }
    } else if (at) {
      clock += Number(at[1]);
      player.playbackOffset(Number(at[1]));
    } else if (step === "launch") {
      await alexa.launch();
    } else {
      await alexa.utter(step);
    }
  }
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
