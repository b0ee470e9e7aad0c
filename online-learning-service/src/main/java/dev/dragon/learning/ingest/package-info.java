/** From Kafka records to training examples: JSON decoding, the feedback–interaction join, example building, offset bookkeeping. */
package dev.dragon.learning.ingest;
