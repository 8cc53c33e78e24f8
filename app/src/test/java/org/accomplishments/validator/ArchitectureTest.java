package org.accomplishments.validator;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import java.util.regex.Pattern;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering of design.md "Layout": a plain-Java domain, technology only in adapters that name it, and the
 * outer shells (web, cli) depended on by nobody. Main classes only; tests may reach anywhere.
 */
@AnalyzeClasses(packages = "org.accomplishments.validator",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.DoNotIncludeMicronautGenerated.class})
class ArchitectureTest {

    /**
     * Micronaut's compile-time bean definitions ({@code $Foo$Definition}, {@code Foo$Intercepted}, ...) are
     * generated next to the class they wire and necessarily depend on Micronaut; the rules are about our code.
     */
    static final class DoNotIncludeMicronautGenerated implements ImportOption {
        private static final Pattern GENERATED = Pattern.compile(".*/\\$[^/]*\\.class|.*\\$Intercepted(\\$[^/]*)?\\.class");

        @Override
        public boolean includes(Location location) {
            return !location.matches(GENERATED);
        }
    }

    private static final String ROOT = "org.accomplishments.validator";

    /** The domain knows nothing of Micronaut, injection, the database, the file system, OpenPGP or Quartz. */
    @ArchTest
    static final ArchRule theDomainIsPlainJava = noClasses()
            .that().resideInAPackage(ROOT + ".trophy..")
            .should().dependOnClassesThat(resideInAnyPackage("io.micronaut..", "jakarta..", "java.sql..",
                    "javax.sql..", "java.nio.file..", "org.bouncycastle..", "org.quartz..")
                    .or(JavaClass.Predicates.equivalentTo(java.io.File.class)))
            .because("design.md: the domain package knows nothing of Micronaut, the database or the file system");

    /** The domain is the innermost ring: it uses no other package of the service. */
    @ArchTest
    static final ArchRule theDomainDependsOnNoOtherPartOfTheService = noClasses()
            .that().resideInAPackage(ROOT + ".trophy..")
            .should().dependOnClassesThat(resideInAnyPackage(ROOT + "..")
                    .and(not(resideInAnyPackage(ROOT + ".trophy.."))));

    private static final DescribedPredicate<JavaClass> WIRING = simpleNameEndingWith("Settings")
            .or(simpleNameEndingWith("Factory"))
            .or(JavaClass.Predicates.simpleName("InstalledCollections"))
            .or(JavaClass.Predicates.simpleName("KeyringSignatures"))
            .as("wiring classes (*Settings, *Factory, InstalledCollections, KeyringSignatures)");

    /** Signing, the script runner and collection loading are libraries; only their wiring knows Micronaut. */
    @ArchTest
    static final ArchRule librariesAreFrameworkFreeExceptTheirWiring = noClasses()
            .that().resideInAnyPackage(ROOT + ".signing..", ROOT + ".validation.script..", ROOT + ".collection..")
            .and(not(WIRING))
            .should().dependOnClassesThat().resideInAnyPackage("io.micronaut..", "jakarta..");

    /** The local folder backend is reached through the ShareBackend port only (Micronaut picks it by config). */
    @ArchTest
    static final ArchRule theLocalBackendIsAnAdapterBehindThePort = noClasses()
            .that().resideOutsideOfPackage(ROOT + ".share.local..")
            .should().dependOnClassesThat().resideInAPackage(ROOT + ".share.local..");

    /** Nothing depends on the outer shells; only the entry point starts the command line. */
    @ArchTest
    static final ArchRule nobodyDependsOnWebOrCli = noClasses()
            .that().resideOutsideOfPackages(ROOT + ".web..", ROOT + ".cli..")
            .and().doNotHaveFullyQualifiedName(ROOT + ".Application")
            .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".web..", ROOT + ".cli..");

    /** The two shells are independent of each other. */
    @ArchTest
    static final ArchRule webDoesNotUseCli = noClasses()
            .that().resideInAPackage(ROOT + ".web..")
            .should().dependOnClassesThat().resideInAPackage(ROOT + ".cli..");

    @ArchTest
    static final ArchRule cliDoesNotUseWeb = noClasses()
            .that().resideInAPackage(ROOT + ".cli..")
            .should().dependOnClassesThat().resideInAPackage(ROOT + ".web..");

    /** The REST API stays a shell: it never touches OpenPGP, Quartz or JDBC directly. */
    /** D-Bus is the sync daemon adapter's technology; the core and the other backends never see it. */
    @ArchTest
    static final ArchRule onlyTheSyncDaemonBackendKnowsDBus = noClasses()
            .that().resideOutsideOfPackage(ROOT + ".share.syncdaemon..")
            .should().dependOnClassesThat().resideInAPackage("org.freedesktop.dbus..");

    @ArchTest
    static final ArchRule webUsesTheServiceNotItsTechnology = noClasses()
            .that().resideInAPackage(ROOT + ".web..")
            .should().dependOnClassesThat().resideInAnyPackage("org.bouncycastle..", "org.quartz..", "java.sql..");

    /** Only the schedule package (and the lifecycle that starts it) knows Quartz. */
    @ArchTest
    static final ArchRule onlyTheSchedulerKnowsQuartz = classes()
            .that().resideInAPackage(ROOT + "..")
            .and().resideOutsideOfPackage(ROOT + ".schedule..")
            .and().doNotHaveFullyQualifiedName(ROOT + ".ValidatorLifecycle")
            .should().onlyDependOnClassesThat(not(resideInAnyPackage("org.quartz..")));

    /**
     * Only the signing package knows Bouncy Castle (OpenPGP). One exception, by name: the accounts' password hasher
     * uses Bouncy Castle's Argon2id (the JDK has none), and nothing else of it.
     */
    @ArchTest
    static final ArchRule onlySigningKnowsBouncyCastle = noClasses()
            .that().resideOutsideOfPackage(ROOT + ".signing..")
            .and().doNotHaveFullyQualifiedName(ROOT + ".auth.PasswordHasher")
            .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..");

    @ArchTest
    static final ArchRule thePasswordHasherUsesOnlyArgon2OfBouncyCastle = noClasses()
            .that().haveFullyQualifiedName(ROOT + ".auth.PasswordHasher")
            .should().dependOnClassesThat(resideInAPackage("org.bouncycastle..")
                    .and(not(com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching("org\\.bouncycastle\\.crypto\\.(generators|params)\\.Argon2.*"))))
            .because("Argon2id password hashes are the only reason for Bouncy Castle outside signing");

    /** Packages form no dependency cycles (one package's change never ripples back into itself). */
    @ArchTest
    static final ArchRule noCyclesBetweenTopLevelPackages = slices().matching(ROOT + ".(*)..").should().beFreeOfCycles();
}
