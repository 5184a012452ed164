package io.aquarium.fish.core.config;

import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.util.HashMap;
import java.util.Map;

/**
 * The line (1-based) of each key of a config file, by the path problems use: {@code api_address},
 * {@code drivers[0]}, {@code drivers[0].name}, {@code drivers[0].cfg.cpu_limit}.
 */
final class YamlLines {
    private YamlLines() {
    }

    static Map<String, Integer> of(Yaml yaml, String text) {
        Map<String, Integer> lines = new HashMap<>();
        try {
            walk(yaml.compose(new StringReader(text)), "", 0, lines);
        } catch (RuntimeException e) {
            // The file was read already; without lines the problems still name their keys.
        }
        return lines;
    }

    /** {@code prefix}: the path of {@code node} itself, "" for the document. */
    private static void walk(Node node, String prefix, int depth, Map<String, Integer> lines) {
        if (node == null || depth > 3) {
            return;
        }
        if (node instanceof MappingNode map) {
            for (NodeTuple tuple : map.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key) {
                    String path = prefix.isEmpty() ? key.getValue() : prefix + "." + key.getValue();
                    lines.putIfAbsent(path, key.getStartMark().getLine() + 1);
                    walk(tuple.getValueNode(), path, depth + 1, lines);
                }
            }
        } else if (node instanceof SequenceNode list) {
            for (int i = 0; i < list.getValue().size(); i++) {
                Node item = list.getValue().get(i);
                String path = prefix + "[" + i + "]";
                lines.putIfAbsent(path, item.getStartMark().getLine() + 1);
                walk(item, path, depth + 1, lines);
            }
        }
    }
}
