/** Byte-level BPE tokenizer of the bundle: encoding, (streaming) decoding, special tokens and the chat template. */
package dev.dragon.core.tokenizer;
