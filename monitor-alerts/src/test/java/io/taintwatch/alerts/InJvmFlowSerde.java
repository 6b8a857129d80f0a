package io.taintwatch.alerts;

import io.taintwatch.model.Block;
import io.taintwatch.model.TaintFlow;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test double for the project's flow and block codecs (not on main yet): the bytes are an index into a
 * JVM-wide list of objects, so producer and Streams app must share the JVM (TopologyTestDriver, in-process broker).
 */
public final class InJvmFlowSerde {
    private static final List<Object> OBJECTS = new CopyOnWriteArrayList<>();

    private InJvmFlowSerde() {}

    public static Serde<TaintFlow> flows() {
        return serde(TaintFlow.class);
    }

    public static Serde<Block> blocks() {
        return serde(Block.class);
    }

    private static synchronized int register(Object o) {
        OBJECTS.add(o);
        return OBJECTS.size() - 1;
    }

    private static <T> Serde<T> serde(Class<T> type) {
        return Serdes.serdeFrom((topic, v) -> v == null ? null : ByteBuffer.allocate(4).putInt(register(v)).array(),
            (topic, b) -> b == null ? null : type.cast(OBJECTS.get(ByteBuffer.wrap(b).getInt())));
    }
}
