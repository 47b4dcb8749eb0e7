package io.strata.plugin.discovery.internal;

import io.strata.plugin.discovery.DnsResolver;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * Resolves through the system: A/AAAA records with {@link InetAddress#getAllByName} (so
 * {@code /etc/hosts} and the JVM's address cache apply), SRV records with the JDK's JNDI DNS
 * provider, which reads the system's name servers.
 */
public final class SystemDnsResolver implements DnsResolver {
    private static final String CONTEXT_FACTORY = "com.sun.jndi.dns.DnsContextFactory";

    @Override
    public List<String> lookupAddresses(String host) throws IOException {
        InetAddress[] found = InetAddress.getAllByName(host);
        List<String> out = new ArrayList<>(found.length);
        for (InetAddress address : found) {
            String literal = address.getHostAddress();
            if (address instanceof Inet6Address) {
                int zone = literal.indexOf('%');
                literal = zone < 0 ? literal : literal.substring(0, zone);
            }
            out.add(literal);
        }
        return out;
    }

    @Override
    public List<SrvRecord> lookupSrv(String name) throws IOException {
        Hashtable<String, String> environment = new Hashtable<>();
        environment.put(javax.naming.Context.INITIAL_CONTEXT_FACTORY, CONTEXT_FACTORY);
        environment.put(javax.naming.Context.PROVIDER_URL, "dns:");
        // JNDI finds the provider through the context class loader; a plugin's own loader (an OSGi
        // bundle's, say) may not see the JDK's naming modules, the system loader always does.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ClassLoader.getSystemClassLoader());
        DirContext context = null;
        try {
            context = new InitialDirContext(environment);
            Attributes attributes = context.getAttributes(name, new String[] {"SRV"});
            Attribute records = attributes.get("SRV");
            List<SrvRecord> out = new ArrayList<>();
            if (records == null) {
                return out;
            }
            NamingEnumeration<?> values = records.getAll();
            while (values.hasMore()) {
                SrvRecord record = parseSrv(name, String.valueOf(values.next()));
                if (record != null) {
                    out.add(record);
                }
            }
            return out;
        } catch (NameNotFoundException notFound) {
            throw new UnknownHostException("no SRV records for " + name + ": name not found");
        } catch (NamingException failed) {
            throw new IOException("SRV lookup of " + name + " failed: " + failed.getMessage(), failed);
        } finally {
            thread.setContextClassLoader(previous);
            if (context != null) {
                try {
                    context.close();
                } catch (NamingException ignored) {
                    // nothing is held open by a DNS context
                }
            }
        }
    }

    /**
     * Parses the JNDI text of an SRV record, {@code priority weight port target}; null for the
     * target {@code .}, which says the service is not available at this name.
     */
    static SrvRecord parseSrv(String name, String text) throws IOException {
        String[] fields = text.trim().split("\\s+");
        if (fields.length != 4) {
            throw new IOException("unexpected SRV record for " + name + ": \"" + text + "\"");
        }
        int port;
        try {
            port = Integer.parseInt(fields[2]);
        } catch (NumberFormatException bad) {
            throw new IOException("unexpected SRV port for " + name + ": \"" + text + "\"");
        }
        if (fields[3].equals(".")) {
            return null;
        }
        String target = fields[3].endsWith(".") ? fields[3].substring(0, fields[3].length() - 1) : fields[3];
        if (target.isEmpty() || port < 0 || port > 65535) {
            throw new IOException("unexpected SRV record for " + name + ": \"" + text + "\"");
        }
        return new SrvRecord(target, port);
    }
}
