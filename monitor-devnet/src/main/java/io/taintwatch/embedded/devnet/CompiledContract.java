package io.taintwatch.embedded.devnet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;

/**
 * A contract compiled by {@code contracts/compile.mjs}: its ABI function signatures and creation bytecode,
 * loaded from {@code io/taintwatch/embedded/devnet/contracts/<name>.json} on the classpath.
 */
public record CompiledContract(String name, Set<String> functions, String bytecode) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public CompiledContract {
        functions = Set.copyOf(functions);
        if (!bytecode.startsWith("0x") || bytecode.length() < 4) {
            throw new IllegalArgumentException("contract " + name + ": bytecode is not 0x-prefixed hex");
        }
    }

    /** Loads the compiled output of contract {@code name} (e.g. {@code "StableCoin"}). */
    public static CompiledContract load(String name) {
        String resource = "contracts/" + name + ".json";
        try (InputStream in = CompiledContract.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no compiled contract '" + name + "' (" + resource + " next to "
                        + CompiledContract.class.getName() + "; run node contracts/compile.mjs)");
            }
            JsonNode root = JSON.readTree(in);
            Set<String> fns = new TreeSet<>();
            for (JsonNode e : root.path("abi")) {
                if ("function".equals(e.path("type").asText())) {
                    List<String> types = new ArrayList<>();
                    for (JsonNode i : e.path("inputs")) {
                        types.add(i.path("type").asText());
                    }
                    fns.add(e.path("name").asText() + "(" + String.join(",", types) + ")");
                }
            }
            String code = root.path("bytecode").asText("");
            if (code.isEmpty()) {
                throw new IllegalArgumentException(resource + ": no 'bytecode'");
            }
            return new CompiledContract(root.path("contractName").asText(name), fns, code);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** Calldata for {@code function(args)}; the function must exist in the ABI with exactly these argument types. */
    @SuppressWarnings("rawtypes")
    public String encode(String function, Type<?>... args) {
        String sig = function + "(" + String.join(",", Arrays.stream(args).map(Type::getTypeAsString).toList()) + ")";
        if (!functions.contains(sig)) {
            throw new IllegalArgumentException("contract " + name + " has no function " + sig + "; it has " + functions);
        }
        List<Type> list = new ArrayList<>(Arrays.asList(args));
        return FunctionEncoder.encode(new Function(function, list, List.of()));
    }

    /** Creation code followed by the ABI-encoded constructor arguments. */
    @SuppressWarnings("rawtypes")
    public String deployData(Type<?>... constructorArgs) {
        List<Type> list = new ArrayList<>(Arrays.asList(constructorArgs));
        return bytecode + (list.isEmpty() ? "" : FunctionEncoder.encodeConstructor(list));
    }
}
