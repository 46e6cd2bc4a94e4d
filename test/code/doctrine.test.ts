import { describe, expect, it } from 'vitest';
import { refsIn } from './refs.js';

describe('code index: Doctrine mappings', () => {
  it('reads PHP 8 attributes: Table, Column (explicit and derived names), JoinColumn, default join columns, indexes', async () => {
    const entity = `<?php

namespace App\\Entity;

use Doctrine\\ORM\\Mapping as ORM;

#[ORM\\Entity]
#[ORM\\Table(name: 'customers', indexes: [new ORM\\Index(columns: ['legacy_code'])])]
class Customer
{
    #[ORM\\Id]
    #[ORM\\Column]
    private ?int $id = null;

    #[ORM\\Column(name: 'legacy_code', length: 32)]
    private ?string $code = null;

    #[ORM\\Column]
    private ?string $displayName = null;

    #[ORM\\ManyToOne]
    private ?Team $team = null;

    #[ORM\\ManyToOne(inversedBy: 'members')]
    #[ORM\\JoinColumn(name: 'region_ref', nullable: false)]
    private ?Region $region = null;

    #[ORM\\OneToMany(mappedBy: 'customer', targetEntity: Order::class)]
    private $orders;
}
`;
    expect(await refsIn({ 'src/Entity/Customer.php': entity }, [
      { table: 'customers', column: 'legacy_code' },
      { table: 'customers', column: 'display_name' },
      { table: 'customers', column: 'team_id' },
      { table: 'customers', column: 'region_ref' },
      { table: 'customers' },
      { table: 'orders', column: 'legacy_code' },
    ])).toEqual([
      'src/Entity/Customer.php:8 customers.legacy_code high entity-mapping',
      'src/Entity/Customer.php:9 customers.* high entity-mapping',
      'src/Entity/Customer.php:15 customers.legacy_code high entity-mapping',
      'src/Entity/Customer.php:19 customers.display_name high entity-mapping',
      'src/Entity/Customer.php:22 customers.team_id high entity-mapping',
      'src/Entity/Customer.php:25 customers.region_ref high entity-mapping',
    ]);
  });

  it('finds an association mapping its join column by name alone, in a file that never writes the column', async () => {
    const team = `<?php

namespace App\\Entity;

use Doctrine\\ORM\\Mapping as ORM;

#[ORM\\Table(name: 'teams')]
#[ORM\\Entity]
class Team
{
    #[ORM\\Id]
    #[ORM\\Column]
    private ?int $id = null;

    #[ORM\\ManyToOne(targetEntity: User::class)]
    #[ORM\\JoinColumn(onDelete: 'CASCADE', nullable: false)]
    private ?User $teamlead = null;

    #[ORM\\OneToOne(mappedBy: 'team', targetEntity: Settings::class)]
    private ?Settings $settings = null;
}
`;
    const project = `<?php

namespace App\\Entity;

use Doctrine\\ORM\\Mapping as ORM;

/**
 * @ORM\\Entity
 * @ORM\\Table(name="projects")
 */
class Project
{
    /**
     * @ORM\\ManyToOne(targetEntity="App\\Entity\\User")
     * @ORM\\JoinColumn(onDelete="CASCADE")
     */
    private $owner;
}
`;
    expect(await refsIn({ 'src/Entity/Team.php': team, 'src/Entity/Project.php': project }, [
      { table: 'teams', column: 'teamlead_id' },
      { table: 'teams', column: 'settings_id' },
      { table: 'projects', column: 'owner_id' },
      { table: 'teams', column: 'owner_id' },
    ])).toEqual(['src/Entity/Project.php:17 projects.owner_id high entity-mapping', 'src/Entity/Team.php:17 teams.teamlead_id high entity-mapping']);
  });

  it('reads docblock annotations, and derives the table from the class when Table gives none', async () => {
    const entity = `<?php

namespace App\\Entity;

use Doctrine\\ORM\\Mapping as ORM;

/**
 * @ORM\\Entity(repositoryClass="App\\Repository\\InvoiceRepository")
 */
class Invoice
{
    /**
     * @ORM\\Column(name="legacy_number", type="string", length=20)
     */
    private $number;

    /**
     * @ORM\\Column(type="datetime")
     */
    private $issuedAt;

    /**
     * @ORM\\ManyToOne(targetEntity="Customer")
     * @ORM\\JoinColumn(name="customer_ref", referencedColumnName="id")
     */
    private $customer;
}
`;
    expect(await refsIn({ 'src/Entity/Invoice.php': entity }, [
      { table: 'invoice', column: 'legacy_number' },
      { table: 'invoice', column: 'issued_at' },
      { table: 'invoice', column: 'customer_ref' },
      { table: 'Invoice', column: 'issued_at' },
    ])).toEqual([
      'src/Entity/Invoice.php:13 invoice.legacy_number high entity-mapping',
      'src/Entity/Invoice.php:20 Invoice.issued_at high entity-mapping',
      'src/Entity/Invoice.php:20 invoice.issued_at high entity-mapping',
      'src/Entity/Invoice.php:24 invoice.customer_ref high entity-mapping',
    ]);
  });

  it('reads XML and YAML mapping files, and maps the entity class to the mapped table', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<doctrine-mapping xmlns="http://doctrine-project.org/schemas/orm/doctrine-mapping">
    <entity name="App\\Entity\\Product" table="products">
        <id name="id" type="integer"/>
        <field name="sku" type="string" column="legacy_sku" length="32"/>
        <field name="unitPrice" type="decimal"/>
        <many-to-one field="category" target-entity="Category"/>
        <many-to-one field="brand" target-entity="Brand">
            <join-column name="brand_ref" referenced-column-name="id"/>
        </many-to-one>
    </entity>
</doctrine-mapping>
`;
    const yaml = `App\\Entity\\Shipment:
    type: entity
    table: shipments
    id:
        id:
            type: integer
    fields:
        trackingCode:
            type: string
            column: legacy_tracking
        weight:
            type: decimal
    manyToOne:
        carrier:
            targetEntity: Carrier
            joinColumn:
                name: carrier_ref
                referencedColumnName: id
`;
    const service = `<?php\nnamespace App\\Service;\nuse App\\Entity\\Product;\nclass Pricing\n{\n    public function f(Product $product)\n    {\n        return $product->unit_price;\n    }\n}\n`;
    expect(await refsIn({ 'config/doctrine/Product.orm.xml': xml, 'config/doctrine/Shipment.orm.yml': yaml, 'src/Entity/Product.php': `<?php\nnamespace App\\Entity;\nclass Product\n{\n    private $unitPrice;\n}\n`, 'src/Service/Pricing.php': service }, [
      { table: 'products', column: 'legacy_sku' },
      { table: 'products', column: 'unit_price' },
      { table: 'products', column: 'category_id' },
      { table: 'products', column: 'brand_ref' },
      { table: 'shipments', column: 'legacy_tracking' },
      { table: 'shipments', column: 'weight' },
      { table: 'shipments', column: 'carrier_ref' },
      { table: 'shipments' },
    ])).toEqual([
      'config/doctrine/Product.orm.xml:5 products.legacy_sku high entity-mapping',
      'config/doctrine/Product.orm.xml:6 products.unit_price high entity-mapping',
      'config/doctrine/Product.orm.xml:7 products.category_id high entity-mapping',
      'config/doctrine/Product.orm.xml:9 products.brand_ref high entity-mapping',
      'config/doctrine/Shipment.orm.yml:1 shipments.* high entity-mapping',
      'config/doctrine/Shipment.orm.yml:10 shipments.legacy_tracking high entity-mapping',
      'config/doctrine/Shipment.orm.yml:11 shipments.weight high entity-mapping',
      'config/doctrine/Shipment.orm.yml:17 shipments.carrier_ref high entity-mapping',
      'src/Service/Pricing.php:8 products.unit_price high attribute-read',
    ]);
  });

  it('maps the columns of a mapped superclass onto the tables of its entities', async () => {
    const base = `<?php\nnamespace App\\Entity;\nuse Doctrine\\ORM\\Mapping as ORM;\n#[ORM\\MappedSuperclass]\nabstract class Timestamped\n{\n    #[ORM\\Column(name: 'legacy_created')]\n    protected $created;\n}\n`;
    const a = `<?php\nnamespace App\\Entity;\nuse Doctrine\\ORM\\Mapping as ORM;\n#[ORM\\Entity]\n#[ORM\\Table(name: 'articles')]\nclass Article extends Timestamped\n{\n}\n`;
    const b = `<?php\nnamespace App\\Entity;\nuse Doctrine\\ORM\\Mapping as ORM;\n#[ORM\\Entity]\n#[ORM\\Table(name: 'comments')]\nclass Comment extends Timestamped\n{\n}\n`;
    expect(await refsIn({ 'src/Entity/Timestamped.php': base, 'src/Entity/Article.php': a, 'src/Entity/Comment.php': b }, [{ table: 'comments', column: 'legacy_created' }])).toEqual([
      'src/Entity/Timestamped.php:7 comments.legacy_created high entity-mapping',
    ]);
  });

  it('reads Doctrine migrations (addSql, Schema API) as non-production references', async () => {
    const migration = `<?php\nnamespace DoctrineMigrations;\nuse Doctrine\\DBAL\\Schema\\Schema;\nuse Doctrine\\Migrations\\AbstractMigration;\nfinal class Version20240101000000 extends AbstractMigration\n{\n    public function up(Schema $schema): void\n    {\n        $this->addSql('ALTER TABLE customers ADD legacy_code VARCHAR(32) DEFAULT NULL');\n        $table = $schema->getTable('customers');\n        $table->addIndex(['legacy_code'], 'idx_legacy');\n    }\n}\n`;
    expect(await refsIn({ 'migrations/Version20240101000000.php': migration }, [{ table: 'customers', column: 'legacy_code' }])).toEqual([
      'migrations/Version20240101000000.php:9 customers.legacy_code low non-prod raw-sql',
      'migrations/Version20240101000000.php:11 customers.legacy_code low non-prod schema',
    ]);
  });
});
