// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {Errors} from "@openzeppelin/contracts/utils/Errors.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Platform} from "./utils/Platform.sol";
import {Merkle} from "./utils/Merkle.sol";
import {TagToken} from "../src/TagToken.sol";
import {TokenFactory} from "../src/TokenFactory.sol";
import {TokenSale} from "../src/TokenSale.sol";
import {VestingVault} from "../src/VestingVault.sol";

/// @dev A token implementation "v2" with one more function: new tokens get it, old clones keep v1.
contract TagTokenV2 is TagToken {
    constructor(address forwarder_) TagToken("TagToken v2 implementation", "IMPL2", address(0), 0, forwarder_) {}

    function version() external pure returns (uint256) {
        return 2;
    }
}

/// @dev {TokenFactory}: one-call creation, deterministic addresses, fees, allow-list, versioned implementations.
contract TokenFactoryTest is Platform {
    address internal creator;
    address internal stranger;

    function setUp() public override {
        super.setUp();
        creator = makeAddr("creator");
        stranger = makeAddr("stranger");
        vm.deal(creator, 10 ether);
        vm.deal(stranger, 10 ether);
    }

    function _create(bytes32 salt) internal returns (address t, address v, address s) {
        vm.prank(creator);
        return factory.createToken{value: CREATION_FEE}(_tokenParams(1_000e18), _noVesting(), _noSale(), salt);
    }

    // --- constructor and views ---

    function test_Constructor_TimelockOwnsEverything() public view {
        assertTrue(factory.hasRole(factory.DEFAULT_ADMIN_ROLE(), address(timelock)));
        assertTrue(factory.hasRole(factory.FEE_MANAGER_ROLE(), address(timelock)));
        assertTrue(factory.hasRole(factory.UPGRADER_ROLE(), address(timelock)));
        assertFalse(factory.hasRole(factory.DEFAULT_ADMIN_ROLE(), address(this)));
        assertEq(factory.creationFee(), CREATION_FEE);
        assertEq(factory.feeRecipient(), feeRecipient);
        assertTrue(factory.openCreation());
        assertEq(factory.latestVersion(), 1);
        assertEq(factory.implementations(1).token, address(tokenImpl));
    }

    function test_Constructor_RevertsOnBadSetup() public {
        TokenFactory.Implementations memory impl =
            TokenFactory.Implementations(address(tokenImpl), address(vaultImpl), address(saleImpl));
        vm.expectRevert(abi.encodeWithSelector(TokenFactory.TokenFactoryInvalidSetup.selector, address(0), feeRecipient));
        new TokenFactory(address(0), feeRecipient, 0, impl, address(forwarder));
        impl.sale = address(0xdead);
        vm.expectRevert(abi.encodeWithSelector(TokenFactory.TokenFactoryInvalidImplementation.selector, impl));
        new TokenFactory(admin, feeRecipient, 0, impl, address(forwarder));
    }

    function test_Implementations_RevertsOnUnknownVersion() public {
        vm.expectRevert(abi.encodeWithSelector(TokenFactory.TokenFactoryUnknownVersion.selector, 0));
        factory.implementations(0);
        vm.expectRevert(abi.encodeWithSelector(TokenFactory.TokenFactoryUnknownVersion.selector, 2));
        factory.implementations(2);
    }

    // --- createToken ---

    function test_CreateToken_AtThePredictedAddress() public {
        bytes32 salt = keccak256("my token");
        address predicted = factory.predictTokenAddress(salt, creator);
        (address p1,,) = factory.predictAddresses(salt, creator);
        assertEq(p1, predicted);
        vm.expectEmit(address(factory));
        emit TokenFactory.TokenCreated(creator, predicted, 1, address(0), address(0), salt);
        (address t, address v, address s) = _create(salt);
        assertEq(t, predicted);
        assertEq(v, address(0));
        assertEq(s, address(0));
        TagToken created = TagToken(t);
        assertEq(created.name(), "Creator Token");
        assertEq(created.balanceOf(creator), 1_000e18);
        assertTrue(created.hasRole(created.DEFAULT_ADMIN_ROLE(), creator));
        assertTrue(created.hasRole(created.MINTER_ROLE(), creator));
        assertFalse(created.hasRole(created.MINTER_ROLE(), address(factory)));
        assertEq(factory.versionOf(t), 1);
        assertEq(address(factory).balance, CREATION_FEE);
        // another creator with the same salt gets another address
        assertNotEq(factory.predictTokenAddress(salt, stranger), predicted);
    }

    bytes32[] internal leaves;

    function _createFull(bytes32 salt) internal returns (address t, address v, address s) {
        uint64 now_ = uint64(block.timestamp);
        leaves.push(vaultImpl.merkleLeaf(stranger, 100e18, now_ - 1 days, 0, 1 days));
        leaves.push(vaultImpl.merkleLeaf(creator, 50e18, now_, 0, 10 days));
        TokenFactory.VestingParams memory vesting = TokenFactory.VestingParams(true, Merkle.root(leaves), 150e18);
        TokenFactory.SaleParams memory sale =
            TokenFactory.SaleParams(true, address(0), 0.001 ether, now_, now_ + 1 days, 500e18, 100e18);
        vm.prank(creator);
        return factory.createToken{value: CREATION_FEE}(_tokenParams(10e18), vesting, sale, salt);
    }

    function test_CreateToken_WithVaultAndSaleAtPredictedAddresses() public {
        bytes32 salt = bytes32(uint256(1));
        (address pt, address pv, address ps) = factory.predictAddresses(salt, creator);
        (address t, address v, address s) = _createFull(salt);
        assertEq(t, pt);
        assertEq(v, pv);
        assertEq(s, ps);
    }

    function test_CreateToken_WithVaultAndSaleFundedInOneCall() public {
        uint64 now_ = uint64(block.timestamp);
        (address t, address v, address s) = _createFull(bytes32(uint256(1)));
        assertEq(IERC20(t).balanceOf(v), 150e18);
        assertEq(IERC20(t).balanceOf(s), 500e18);
        assertEq(IERC20(t).totalSupply(), 660e18);
        VestingVault vault_ = VestingVault(v);
        assertTrue(vault_.hasRole(vault_.ADMIN_ROLE(), creator));
        vault_.claimMerkle(0, stranger, 100e18, now_ - 1 days, 0, 1 days, Merkle.proof(leaves, 0));
        assertEq(IERC20(t).balanceOf(stranger), 100e18);
        TokenSale sale_ = TokenSale(payable(s));
        vm.prank(stranger);
        sale_.buy{value: 0.1 ether}(0.1 ether, 100e18);
        assertEq(IERC20(t).balanceOf(stranger), 200e18);
        assertEq(sale_.config().proceedsRecipient, creator);
    }

    function test_CreateToken_RevertsOnWrongFee() public {
        vm.expectRevert(abi.encodeWithSelector(TokenFactory.TokenFactoryWrongFee.selector, 0, CREATION_FEE));
        vm.prank(creator);
        factory.createToken(_tokenParams(1), _noVesting(), _noSale(), 0);
    }

    function test_CreateToken_RevertsOnReusedSalt() public {
        _create(bytes32(0));
        vm.expectRevert(Errors.FailedDeployment.selector);
        _create(bytes32(0));
    }

    function test_CreateToken_RevertsOnBadSaleParams() public {
        TokenFactory.SaleParams memory sale = TokenFactory.SaleParams(true, address(0), 0, 0, 1, 1, 1);
        vm.expectRevert(TokenSale.TokenSaleInvalidConfig.selector);
        vm.prank(creator);
        factory.createToken{value: CREATION_FEE}(_tokenParams(1), _noVesting(), sale, 0);
    }

    function test_AllowList_LimitsCreationWhenClosed() public {
        vm.startPrank(address(timelock));
        vm.expectEmit(address(factory));
        emit TokenFactory.OpenCreationUpdated(false);
        factory.setOpenCreation(false);
        factory.grantRole(factory.CREATOR_ROLE(), creator);
        vm.stopPrank();
        _create(0);
        vm.expectRevert(abi.encodeWithSelector(TokenFactory.TokenFactoryNotAllowed.selector, stranger));
        vm.prank(stranger);
        factory.createToken{value: CREATION_FEE}(_tokenParams(1), _noVesting(), _noSale(), 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, factory.DEFAULT_ADMIN_ROLE()
            )
        );
        vm.prank(stranger);
        factory.setOpenCreation(true);
    }

    // --- fees ---

    function test_SetFee_OnlyFeeManager() public {
        vm.expectEmit(address(factory));
        emit TokenFactory.FeeUpdated(1 ether, stranger);
        vm.prank(address(timelock));
        factory.setFee(1 ether, stranger);
        assertEq(factory.creationFee(), 1 ether);
        assertEq(factory.feeRecipient(), stranger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, creator, factory.FEE_MANAGER_ROLE()
            )
        );
        vm.prank(creator);
        factory.setFee(0, creator);
        vm.expectRevert(
            abi.encodeWithSelector(TokenFactory.TokenFactoryInvalidSetup.selector, address(factory), address(0))
        );
        vm.prank(address(timelock));
        factory.setFee(0, address(0));
    }

    function test_SetFee_NeverAboveTheBound() public {
        uint256 max = factory.MAX_CREATION_FEE();
        assertEq(max, 1 ether);
        vm.startPrank(address(timelock));
        factory.setFee(max, feeRecipient); // the bound itself is allowed
        assertEq(factory.creationFee(), max);
        vm.expectRevert(abi.encodeWithSelector(TokenFactory.TokenFactoryFeeTooHigh.selector, max + 1, max));
        factory.setFee(max + 1, feeRecipient);
        vm.expectRevert(
            abi.encodeWithSelector(TokenFactory.TokenFactoryFeeTooHigh.selector, type(uint256).max, max)
        );
        factory.setFee(type(uint256).max, feeRecipient);
        vm.stopPrank();
        assertEq(factory.creationFee(), max, "a refused fee changes nothing");
    }

    function test_Constructor_RevertsOnFeeAboveTheBound() public {
        TokenFactory.Implementations memory impl =
            TokenFactory.Implementations(address(tokenImpl), address(vaultImpl), address(saleImpl));
        vm.expectRevert(abi.encodeWithSelector(TokenFactory.TokenFactoryFeeTooHigh.selector, 1 ether + 1, 1 ether));
        new TokenFactory(address(timelock), feeRecipient, 1 ether + 1, impl, address(forwarder));
    }

    function test_WithdrawFees_GoToTheRecipient() public {
        _create(0);
        _create(bytes32(uint256(1)));
        vm.expectEmit(address(factory));
        emit TokenFactory.FeesWithdrawn(feeRecipient, 2 * CREATION_FEE);
        vm.prank(stranger); // anyone may trigger it; the recipient is fixed
        factory.withdrawFees();
        assertEq(feeRecipient.balance, 2 * CREATION_FEE);
        assertEq(address(factory).balance, 0);
    }

    // --- upgrades ---

    function test_RegisterImplementations_NewTokensOnlyOldClonesKeepWorking() public {
        (address oldToken,,) = _create(bytes32(uint256(7)));
        vm.prank(creator);
        IERC20(oldToken).transfer(stranger, 1e18);

        TagTokenV2 v2 = new TagTokenV2(address(forwarder));
        TokenFactory.Implementations memory next =
            TokenFactory.Implementations(address(v2), address(vaultImpl), address(saleImpl));
        vm.expectEmit(address(factory));
        emit TokenFactory.ImplementationRegistered(2, address(v2), address(vaultImpl), address(saleImpl));
        vm.prank(address(timelock));
        assertEq(factory.registerImplementations(next), 2);

        // the old clone: same code, same state, still usable
        assertEq(factory.versionOf(oldToken), 1);
        assertEq(IERC20(oldToken).balanceOf(stranger), 1e18);
        vm.prank(stranger);
        IERC20(oldToken).transfer(creator, 1e18);
        assertEq(IERC20(oldToken).balanceOf(creator), 1_000e18);
        (bool ok,) = oldToken.call(abi.encodeCall(TagTokenV2.version, ()));
        assertFalse(ok);

        // a new token runs v2
        (address newToken,,) = _create(bytes32(uint256(8)));
        assertEq(factory.versionOf(newToken), 2);
        assertEq(TagTokenV2(newToken).version(), 2);
        assertEq(TagToken(newToken).balanceOf(creator), 1_000e18);
    }

    function test_RegisterImplementations_NobodyElse() public {
        TokenFactory.Implementations memory next =
            TokenFactory.Implementations(address(tokenImpl), address(vaultImpl), address(saleImpl));
        address[3] memory others = [admin, creator, address(this)];
        for (uint256 i = 0; i < others.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IAccessControl.AccessControlUnauthorizedAccount.selector, others[i], factory.UPGRADER_ROLE()
                )
            );
            vm.prank(others[i]);
            factory.registerImplementations(next);
        }
        next.vault = address(0);
        vm.expectRevert(abi.encodeWithSelector(TokenFactory.TokenFactoryInvalidImplementation.selector, next));
        vm.prank(address(timelock));
        factory.registerImplementations(next);
    }

    function test_Clone_CannotBeReinitializedByAnyone() public {
        (address t,,) = _create(0);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        TagToken(t).initialize("Hijack", "HJK", stranger, 1, new address[](0), new uint256[](0));
    }

    // --- fuzz ---

    function testFuzz_PredictTokenAddress_MatchesCreation(bytes32 salt, uint96 amount) public {
        address predicted = factory.predictTokenAddress(salt, creator);
        vm.prank(creator);
        (address t,,) =
            factory.createToken{value: CREATION_FEE}(_tokenParams(amount), _noVesting(), _noSale(), salt);
        assertEq(t, predicted);
        assertEq(IERC20(t).totalSupply(), amount);
    }

    function testFuzz_CreateToken_ExactFeeOnly(uint64 fee, uint64 sent) public {
        fee = uint64(bound(fee, 0, factory.MAX_CREATION_FEE()));
        vm.prank(address(timelock));
        factory.setFee(fee, feeRecipient);
        vm.deal(creator, sent);
        vm.prank(creator);
        if (sent != fee) {
            vm.expectRevert(abi.encodeWithSelector(TokenFactory.TokenFactoryWrongFee.selector, sent, fee));
        }
        factory.createToken{value: sent}(_tokenParams(1), _noVesting(), _noSale(), 0);
        assertEq(address(factory).balance, sent == fee ? fee : 0);
    }
}
