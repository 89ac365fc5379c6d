package io.amoskys.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Karaf's etc/users.properties as jaas:* commands write it. */
class AccountsTest {
    private static final String ADMINS = "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n";

    @TempDir
    Path dir;

    @Test
    void aLoginOutlivesNoChangeOfItsAccount() throws Exception {
        Path users = dir.resolve("users.properties");
        Files.writeString(users, "ada = {CRYPT}aa{CRYPT},_g_:admingroup\nvera = {CRYPT}bb{CRYPT},viewer\n" + ADMINS);
        Accounts accounts = new Accounts(users);
        String ada = accounts.atLogin("ada");
        String vera = accounts.atLogin("vera");
        assertTrue(accounts.unchanged("ada", ada));

        Files.writeString(users, "ada = {CRYPT}aa{CRYPT},_g_:admingroup\nvera = {CRYPT}bb{CRYPT},viewer,operator\n" + ADMINS);
        assertTrue(accounts.unchanged("ada", ada), "another user's change is not ada's");
        assertFalse(accounts.unchanged("vera", vera), "new roles");
        vera = accounts.atLogin("vera");

        Files.writeString(users, "ada = {CRYPT}cc{CRYPT},_g_:admingroup\nvera = {CRYPT}bb{CRYPT},viewer,operator\n" + ADMINS);
        assertFalse(accounts.unchanged("ada", ada), "a new password, of the same length");
        ada = accounts.atLogin("ada");

        Files.writeString(users, "ada = {CRYPT}cc{CRYPT},_g_:admingroup\nvera = {CRYPT}bb{CRYPT},viewer,operator\n"
                + ADMINS.replace(",ssh", ""));
        assertFalse(accounts.unchanged("ada", ada), "her group's roles changed");
        assertTrue(accounts.unchanged("vera", vera));

        Files.writeString(users, "ada = {CRYPT}cc{CRYPT},_g_:admingroup\n" + ADMINS);
        assertFalse(accounts.unchanged("vera", vera), "removed");
    }

    @Test
    void anEmptyOrBrokenFileIsNotTakenForAccountsGone() throws Exception {
        Path users = dir.resolve("users.properties");
        Files.writeString(users, "ada = {CRYPT}aa{CRYPT},admin\n");
        Accounts accounts = new Accounts(users);
        String ada = accounts.atLogin("ada");
        Files.writeString(users, ""); // Karaf rewrites the file in place: truncated, then written
        assertTrue(accounts.unchanged("ada", ada), "an empty file is the moment between the two");
        Files.writeString(users, "ada = \\u12\n"); // a malformed \\uXXXX escape: Properties cannot read it
        assertTrue(accounts.unchanged("ada", ada), "a file that cannot be read keeps what was read last");
        Files.writeString(users, "ada = {CRYPT}bb{CRYPT},admin\n");
        assertFalse(accounts.unchanged("ada", ada), "then the change is seen");
    }

    @Test
    void aUserOfAnotherRealmIsNotChecked() throws Exception {
        Path users = dir.resolve("users.properties");
        Files.writeString(users, "ada = {CRYPT}aa{CRYPT},admin\n");
        Accounts accounts = new Accounts(users);
        String ldap = accounts.atLogin("lena");
        assertEquals(Accounts.NOT_CHECKED, ldap);
        Files.writeString(users, "ada = {CRYPT}bb{CRYPT},admin\n");
        assertTrue(accounts.unchanged("lena", ldap));
        assertEquals(Accounts.NOT_CHECKED, Accounts.UNCHECKED.atLogin("ada"));
        assertEquals(Accounts.NOT_CHECKED, new Accounts(dir.resolve("absent.properties")).atLogin("ada"));
    }
}
