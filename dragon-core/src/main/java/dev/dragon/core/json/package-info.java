/** Small path-aware JSON reading helpers shared by the bundle, tokenizer and tensor readers. */
package dev.dragon.core.json;
