import { MYSQL } from './mysql.js';
import type { Cost, CostTable } from './types.js';

/**
 * MariaDB 10.11+ InnoDB facts, as deltas from MySQL.
 * Sources: mariadb.com/kb "InnoDB Online DDL Operations with the INSTANT / NOCOPY / INPLACE Alter
 * Algorithm", "Instant ADD COLUMN for InnoDB": instant ADD/DROP/reorder of columns since 10.4,
 * extending VARCHAR is instant, ALGORITHM=NOCOPY exists, most type changes still copy without
 * concurrent DML, and adding an AUTO_INCREMENT column blocks DML.
 */

const instant = (note?: string): Cost => ({ lock: 'MDL (brief exclusive)', writes: 'brief', reads: 'brief', rewrite: false, scan: false, algorithm: 'INSTANT', ...(note ? { note } : {}) });
const nocopy = (note?: string): Cost => ({ lock: 'MDL (brief exclusive)', writes: 'brief', reads: 'brief', rewrite: false, scan: false, algorithm: 'NOCOPY', ...(note ? { note } : {}) });

export const MARIADB: CostTable = {
  ...MYSQL,
  'add-column': { cost: instant() },
  'add-column-positioned': { cost: instant() },
  'drop-column': { cost: instant() },
  'reorder-column': { cost: instant() },
  'rename-column': { cost: instant() },
  'change-type-widening': { cost: instant('extending VARCHAR within the same length-prefix size is instant') },
  'add-foreign-key-no-checks': { cost: nocopy('foreign_key_checks=0: existing rows are not checked') },
  'drop-index': { cost: nocopy() },
  'drop-foreign-key': { cost: nocopy() },
  'drop-constraint': { cost: nocopy() },
  'rename-index': { cost: nocopy() },
};
