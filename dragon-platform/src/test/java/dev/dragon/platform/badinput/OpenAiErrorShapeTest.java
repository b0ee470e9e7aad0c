package dev.dragon.platform.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenAiErrorShapeTest {

    @Test
    void anErrorWithAllFourFields_isAccepted_evenWithNullParamAndCode() {
        assertThat(BadInputRun.isOpenAiError("{\"error\":{\"message\":\"m\",\"type\":\"invalid_request_error\","
                + "\"param\":null,\"code\":null}}")).isTrue();
    }

    @Test
    void missingFields_blankMessage_orNoJson_areRefused() {
        assertThat(BadInputRun.isOpenAiError("{\"error\":{\"message\":\"m\",\"type\":\"t\",\"code\":\"c\"}}")).isFalse();
        assertThat(BadInputRun.isOpenAiError("{\"error\":{\"message\":\"\",\"type\":\"t\",\"param\":null,\"code\":null}}"))
                .isFalse();
        assertThat(BadInputRun.isOpenAiError("{\"status\":400,\"error\":\"Bad Request\"}")).isFalse();
        assertThat(BadInputRun.isOpenAiError("<html>400</html>")).isFalse();
        assertThat(BadInputRun.isOpenAiError("")).isFalse();
    }
}
