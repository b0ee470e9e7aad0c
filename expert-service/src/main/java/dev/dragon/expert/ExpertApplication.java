package dev.dragon.expert;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of expert-service. */
@SpringBootApplication
public class ExpertApplication {

  public static void main(String[] args) {
    SpringApplication.run(ExpertApplication.class, args);
  }
}
