// The samples whose cpu run takes minutes (TimeDistributed(Conv2D) over ten 299×299 images, four
// ConvLSTM2D layers on 40×40 images): the layout passes' sample tests check their structure always and
// their numbers with KERASC_SLOW_TESTS=1, as op-shapes-samples.test.ts does.
export const SLOW_SAMPLES: ReadonlySet<string> = new Set([
  "wrappers_time_distributed/time_distributed_conv",
  "rnn_conv_lstm/conv_lstm_movies",
]);

export const RUN_SLOW_SAMPLES = process.env.KERASC_SLOW_TESTS === "1";

/** Milliseconds a sample's numeric check may take: minutes for the slow ones when they run. */
export const SLOW_SAMPLE_TIMEOUT = 600_000;
