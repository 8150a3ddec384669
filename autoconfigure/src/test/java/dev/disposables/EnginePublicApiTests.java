package dev.disposables;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.jspecify.annotations.Nullable;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The engine package {@code dev.disposables.spring} is used by the rest of the module
 * only through its public API. The auto-configuration and actuator classes
 * ({@code dev.disposables.boot..}), the built-in adapters
 * ({@code dev.disposables.spring.adapter}) and every other subpackage of
 * {@code dev.disposables.spring} (a future {@code dev.disposables.spring.web}, say) are
 * clients of the engine, as an application's own adapter or configuration would be: what
 * they need must be public, so that it is published, documented and kept compatible, and
 * so that whatever is not public stays free to change. Java's compiler already refuses
 * package-private access across packages; these rules also catch what it lets through:
 * protected members and protected nested classes reached by subclassing, or a class moved
 * into the engine package without its visibility being reconsidered. Reflective access
 * (names in strings) is not seen.
 */
@AnalyzeClasses(packages = "dev.disposables", importOptions = ImportOption.DoNotIncludeTests.class)
class EnginePublicApiTests {

	private static final String ENGINE = "dev.disposables.spring";

	private static final String REASON = "the engine package is used by its clients only through its public API";

	private static final DescribedPredicate<JavaClass> CLIENTS = resideInAnyPackage("dev.disposables.boot..",
			"dev.disposables.spring.adapter..", ENGINE + "..")
		.and(not(resideInAPackage(ENGINE)))
		.as("classes in dev.disposables.boot.., dev.disposables.spring.adapter.. or another subpackage of " + ENGINE);

	/**
	 * No call, field access, constructor call (a {@code super(...)} included) or method
	 * reference of a client reaches a non-public class of the engine package or a
	 * non-public (package-private or protected) member of one of its classes, inherited
	 * ones included.
	 */
	@ArchTest
	final ArchRule clientsAccessOnlyPublicClassesAndMembersOfEngine = classes().that(CLIENTS)
		.should(accessOnlyPublicApiOfEngine())
		.because(REASON);

	/**
	 * No client depends in any other way (a supertype, a field, parameter or return type,
	 * a class literal, an annotation) on a non-public class of the engine package.
	 */
	@ArchTest
	final ArchRule clientsDependOnlyOnPublicClassesOfEngine = noClasses().that(CLIENTS)
		.should()
		.dependOnClassesThat(DescribedPredicate.describe("are not public classes of " + ENGINE,
				(type) -> inEngine(type) && !isPublicApi(type)))
		.because(REASON);

	private static ArchCondition<JavaClass> accessOnlyPublicApiOfEngine() {
		return new ArchCondition<>("access only public classes and public members of " + ENGINE) {

			@Override
			public void check(JavaClass client, ConditionEvents events) {
				for (JavaAccess<?> access : client.getAccessesFromSelf()) {
					String problem = problem(access);
					if (problem != null) {
						events.add(SimpleConditionEvent.violated(access, access.getDescription() + ": " + problem));
					}
				}
			}

		};
	}

	/**
	 * What makes an access reach past the engine's public API, if anything: the class it
	 * names is an engine class that is not public, or the member it resolves to is not
	 * public and is declared by an engine class or named through one. Resolving matters
	 * for inherited members: a subclass's {@code this.field} or {@code method()} names
	 * the subclass itself, not the engine class that declares the member.
	 * @param access an access of a client
	 * @return the problem, or {@code null}
	 */
	private static @Nullable String problem(JavaAccess<?> access) {
		JavaClass named = access.getTargetOwner();
		if (inEngine(named) && !isPublicApi(named)) {
			return named.getName() + " is not public";
		}
		// Unresolved (a class outside the import, left to the compiler), public, or
		// neither declared by nor named through an engine class: nothing to report
		JavaMember member = access.getTarget().resolveMember().orElse(null);
		if (member == null || member.getModifiers().contains(JavaModifier.PUBLIC)
				|| !(inEngine(member.getOwner()) || inEngine(named))) {
			return null;
		}
		String visibility = member.getModifiers().contains(JavaModifier.PROTECTED) ? "protected"
				: (member.getModifiers().contains(JavaModifier.PRIVATE) ? "private" : "package-private");
		return member.getFullName() + " is " + visibility;
	}

	private static boolean inEngine(JavaClass type) {
		return type.getPackageName().equals(ENGINE);
	}

	/**
	 * Whether a class is part of the public API: public, and nested (if it is) only in
	 * public classes.
	 * @param type the class
	 * @return whether it is public API
	 */
	private static boolean isPublicApi(JavaClass type) {
		JavaClass current = type;
		while (current != null) {
			if (!current.getModifiers().contains(JavaModifier.PUBLIC)) {
				return false;
			}
			current = current.getEnclosingClass().orElse(null);
		}
		return true;
	}

}
