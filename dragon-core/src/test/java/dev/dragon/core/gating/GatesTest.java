package dev.dragon.core.gating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dragon.core.bundle.GatingBias;
import dev.dragon.core.tensor.SafeTensors;
import dev.dragon.core.tensor.SafeTensorsWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatesTest {

    @Test
    void buildsOneGatePerLayerWithItsBias() {
        SafeTensors tensors = SafeTensors.parse(new SafeTensorsWriter()
                .f32("layers.0.gate", new int[] {4, 2}, GateTest.WEIGHTS)
                .f32("layers.1.gate", new int[] {4, 2}, GateTest.WEIGHTS)
                .toBytes());
        GatingBias bias = new GatingBias(new float[][] {{0, 0, 0, 0}, {0, 0, 0, 0.7f}});
        List<Gate> gates = Gates.fromTensors(tensors, bias, 2, GatingPolicy.topK(2));
        assertThat(gates).hasSize(2);
        assertThat(gates.get(0).route(GateTest.U, 0, 1).experts(0)).containsExactly(0, 1);
        assertThat(gates.get(1).route(GateTest.U, 0, 1).experts(0)).containsExactly(3, 0);
    }

    @Test
    void wrongShapeOrMissingLayerIsNamed() {
        SafeTensors tensors = SafeTensors.parse(new SafeTensorsWriter()
                .f32("layers.0.gate", new int[] {2, 4}, GateTest.WEIGHTS).toBytes());
        GatingBias bias = new GatingBias(new float[][] {{0, 0, 0, 0}, {0, 0, 0, 0}});
        assertThatThrownBy(() -> Gates.fromTensors(tensors, bias, 2, GatingPolicy.topK(2)))
                .hasMessage("gate tensor 'layers.0.gate' has shape [2, 4], expected [4, 2]");
        SafeTensors oneLayer = SafeTensors.parse(new SafeTensorsWriter()
                .f32("layers.0.gate", new int[] {4, 2}, GateTest.WEIGHTS).toBytes());
        assertThatThrownBy(() -> Gates.fromTensors(oneLayer, bias, 2, GatingPolicy.topK(2)))
                .hasMessageContaining("layers.1.gate");
    }
}
