package io.agentnexus.purchase;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The last block a chain listener has fully processed. */
@Entity
@Table(name = "chain_cursors")
public class ChainCursor extends PanacheEntityBase {

    @Id
    public String name;

    public long lastBlock;

    public Instant updatedAt;
}
