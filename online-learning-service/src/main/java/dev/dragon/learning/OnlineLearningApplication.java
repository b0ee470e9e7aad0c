package dev.dragon.learning;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of online-learning-service. */
@SpringBootApplication
public class OnlineLearningApplication {

  public static void main(String[] args) {
    SpringApplication.run(OnlineLearningApplication.class, args);
  }
}
