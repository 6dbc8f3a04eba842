/**
 * The dump's statement splitter: a statement ends at the delimiter outside quotes, backquoted names and comments;
 * executable comments stay; DELIMITER lines change the delimiter; chunk edges never change the result; a dump cut
 * inside a string is reported as truncated.
 */
import fc from "fast-check";
import { splitSql, SqlSplitter } from "../../lib/db/sql-splitter";

const DUMP = [
  "-- MySQL dump 10.13",
  "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;",
  "DROP TABLE IF EXISTS `client`;",
  "CREATE TABLE `client` (",
  "  `encodedKey` varchar(32) NOT NULL, -- a comment; with a semicolon",
  "  PRIMARY KEY (`encodedKey`)",
  ");",
  "INSERT INTO `client` VALUES ('a;b','it''s','x\\\\'),('c\\';d',\"q\"\";r\",'Zoë 😀');",
  "# a hash comment ;",
  "/* a block ; comment */",
  "DELIMITER ;;",
  "/*!50003 CREATE*/ /*!50003 TRIGGER t BEFORE INSERT ON client FOR EACH ROW BEGIN SET NEW.a = 1; END */;;",
  "DELIMITER ;",
  "SELECT 1-- 1",
  ";",
  "SELECT `we;ird``name` FROM x",
].join("\n");

const EXPECTED = [
  { sql: "-- MySQL dump 10.13\n/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */", line: 1 },
  { sql: "DROP TABLE IF EXISTS `client`", line: 3 },
  { sql: "CREATE TABLE `client` (\n  `encodedKey` varchar(32) NOT NULL, -- a comment; with a semicolon\n  PRIMARY KEY (`encodedKey`)\n)", line: 4 },
  { sql: "INSERT INTO `client` VALUES ('a;b','it''s','x\\\\'),('c\\';d',\"q\"\";r\",'Zoë 😀')", line: 8 },
  { sql: "/*!50003 CREATE*/ /*!50003 TRIGGER t BEFORE INSERT ON client FOR EACH ROW BEGIN SET NEW.a = 1; END */", line: 12 },
  { sql: "SELECT 1-- 1", line: 14 },
  { sql: "SELECT `we;ird``name` FROM x", line: 16 },
];

describe("SqlSplitter", () => {
  test("splits a mysqldump-style dump into whole statements, with the line each starts on", () => {
    expect(splitSql(DUMP)).toEqual(EXPECTED);
  });

  test("the result does not depend on where the chunks end (bytes cut inside UTF-8 characters too)", () => {
    const bytes = Buffer.from(DUMP, "utf8");
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 30 }), (cuts) => {
        const edges = [...new Set(cuts)].sort((a, b) => a - b);
        const s = new SqlSplitter();
        const out = [];
        let from = 0;
        for (const at of [...edges, bytes.length]) {
          out.push(...s.push(bytes.subarray(from, at)));
          from = at;
        }
        out.push(...s.end());
        expect(out).toEqual(EXPECTED);
      }),
      { numRuns: 300 },
    );
  });

  test("a dump cut inside a quoted string or a comment is truncated; a last statement without ';' still runs", () => {
    expect(() => splitSql("INSERT INTO x VALUES ('abc")).toThrow(/ends inside a quoted string .* truncated/);
    expect(() => splitSql("SELECT 1; /* open")).toThrow(/ends inside a comment/);
    expect(splitSql("SELECT 1;\nSELECT 2")).toEqual([{ sql: "SELECT 1", line: 1 }, { sql: "SELECT 2", line: 2 }]);
    expect(splitSql("-- only comments\n/* and this */\n")).toEqual([]);
  });

  test("a statement longer than the bound is refused", () => {
    const s = new SqlSplitter({ maxStatementChars: 100 });
    expect(() => s.push(`INSERT INTO x VALUES ('${"a".repeat(200)}`)).toThrow(/longer than 100 characters/);
  });
});
