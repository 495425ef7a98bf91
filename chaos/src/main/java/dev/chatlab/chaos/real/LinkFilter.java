package dev.chatlab.chaos.real;

import java.util.Set;

/**
 * Cuts links between real nodes outside the nodes themselves, by packet filtering: the cut that
 * splits cluster membership, where the nodes' own dropping of peer messages leaves membership
 * whole. {@link NodeStateFaults} hands it every directed link that should be cut now, after
 * each partition, cut, heal and quiesce.
 *
 * <pre>{@code
 * nodeFaults.filterLinks(links -> iptables.apply(links));   // links: {n1->n2, n2->n1, ...}
 * }</pre>
 */
public interface LinkFilter {

    /** A directed link: packets from {@code from} to {@code to}. */
    record Link(String from, String to) {
    }

    /** Makes exactly {@code links} cut (none: every link works); throws if the filter could not be changed. */
    void apply(Set<Link> links) throws Exception;
}
