package io.aquarium.fish.core.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aquarium.fish.core.model.RawJson;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;

/** The Node's technical definition (host, memory, cpu, disks, nets), in the original's key layout. */
final class NodeDescription {
    private NodeDescription() {
    }

    static RawJson describe(String hostName, Path dataDir) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

        ObjectNode host = root.putObject("host");
        host.put("hostname", hostName);
        host.put("os", System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT));
        host.put("platformVersion", System.getProperty("os.version", ""));
        host.put("kernelArch", System.getProperty("os.arch", ""));

        ObjectNode memory = root.putObject("memory");
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            memory.put("total", sun.getTotalMemorySize());
            memory.put("available", sun.getFreeMemorySize());
        }

        ArrayNode cpu = root.putArray("cpu");
        ObjectNode cpuInfo = cpu.addObject();
        cpuInfo.put("cores", os.getAvailableProcessors());
        cpuInfo.put("modelName", System.getProperty("os.arch", ""));

        ObjectNode disks = root.putObject("disks");
        try {
            FileStore store = Files.getFileStore(dataDir);
            ObjectNode disk = disks.putObject(dataDir.toString());
            disk.put("path", dataDir.toString());
            disk.put("total", store.getTotalSpace());
            disk.put("free", store.getUsableSpace());
        } catch (IOException e) {
            // A node without disk statistics is still a node.
        }

        ArrayNode nets = root.putArray("nets");
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                ObjectNode net = nets.addObject();
                net.put("name", nif.getName());
                ArrayNode addrs = net.putArray("addrs");
                for (InetAddress address : Collections.list(nif.getInetAddresses())) {
                    addrs.addObject().put("addr", address.getHostAddress());
                }
            }
        } catch (SocketException e) {
            // No interface list: leave nets empty.
        }
        try {
            return new RawJson(mapper.writeValueAsString(root));
        } catch (IOException e) {
            return RawJson.EMPTY_OBJECT;
        }
    }
}
