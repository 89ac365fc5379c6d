/**
 * Offline training recipes of the sequence models (LSTM and Transformer window classifiers):
 * the windows of an entity's flow vectors, as the model runtime makes them, and the evaluation
 * helpers. Training itself is the Python script src/main/python/train_sequence.py (python3-torch).
 */
package io.amoskys.model.sequence;
