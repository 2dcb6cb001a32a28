// The recurrent family of the Keras 2 reference: SimpleRNN, GRU, LSTM, ConvLSTM2D, the cells, RNN, StackedRNNCells, CuDNNGRU/CuDNNLSTM.
import type { LayerDef } from "./layer.js";

export const recurrentLayers: readonly LayerDef[] = [];
