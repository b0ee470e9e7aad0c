/** online-learning-service: the predictive-coding adaptation loop that turns interactions and feedback into adapter versions. */
package dev.dragon.learning;
